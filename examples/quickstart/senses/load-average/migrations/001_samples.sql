CREATE TABLE samples (
  ts INTEGER NOT NULL,
  one REAL NOT NULL,
  five REAL NOT NULL,
  fifteen REAL NOT NULL
);
CREATE INDEX samples_ts ON samples (ts);
