-- What the watchdog decided, and what the checkups it started found.
CREATE TABLE launches (
  sample_id INTEGER PRIMARY KEY,  -- the vitals sample that started a checkup
  ts INTEGER NOT NULL,
  reason TEXT NOT NULL
);
CREATE TABLE findings (
  run_id TEXT PRIMARY KEY,        -- the checkup run (nerve workflow thread <run_id>)
  log_id INTEGER NOT NULL,        -- the log row the verdict was read from
  ts INTEGER NOT NULL,
  verdict TEXT NOT NULL
);
