-- wrk script for scripts/bench.sh: every request carries the Bearer token
-- from BENCH_TOKEN.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
