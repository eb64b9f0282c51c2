-- Worker job leases (issue 13). A worker runs a job only while it holds the
-- job's lease: a row taken in a transaction (SELECT … FOR UPDATE, then
-- UPDATE) that lasts until expires_at. The holder gives it back when the
-- job ends (expires_at set to the moment it ended); a worker that dies
-- mid-run keeps it only until expires_at (worker_lease seconds), so
-- another worker takes over. It replaces MariaDB's GET_LOCK, which Galera
-- refuses (WSREP_ON=ON) or keeps local to one node.
--
-- holder and acquired_at stay after the release: they say which worker ran
-- the job last and when, and the cluster test reads the takeover time
-- from them.
CREATE TABLE job_leases (
  job          VARCHAR(64) NOT NULL PRIMARY KEY,
  holder       VARCHAR(120) NOT NULL,
  acquired_at  DATETIME(6) NOT NULL,
  expires_at   DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
