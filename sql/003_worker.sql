-- The companion worker: one heartbeat row per worker process and the last run of each job.
CREATE TABLE worker_heartbeat (
  worker     VARCHAR(120) NOT NULL PRIMARY KEY,
  last_seen  DATETIME(6) NOT NULL,
  last_now   DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE job_runs (
  job          VARCHAR(64) NOT NULL PRIMARY KEY,
  last_run_at  DATETIME(6) NOT NULL,
  last_now     DATETIME(6) NOT NULL,
  runs         BIGINT UNSIGNED NOT NULL DEFAULT 0,
  last_result  INT NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
