-- One row per compute of the vitals sense.
CREATE TABLE samples (
  id INTEGER PRIMARY KEY,
  ts INTEGER NOT NULL,            -- epoch ms
  load1 REAL NOT NULL,            -- 1-minute load average
  cores INTEGER NOT NULL,
  memory_pct REAL NOT NULL,       -- memory in use, % of the total
  disk_free_pct REAL NOT NULL     -- free space on the workspace's file system, %
);
