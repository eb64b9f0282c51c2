-- wrk script for scripts/bench.sh: GET PREFIX..id over random ids read from
-- the file named by BENCH_IDS (one id a line), with the Bearer token from
-- BENCH_TOKEN. Each request draws a new id, so the server cannot serve one
-- hot row from its caches.
local ids = {}
for line in io.lines(os.getenv("BENCH_IDS")) do
    if line ~= "" then ids[#ids + 1] = line end
end
assert(#ids > 0, "bench: no ids in " .. tostring(os.getenv("BENCH_IDS")))
local prefix = os.getenv("BENCH_PREFIX") or "/api/v1/leads/"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
math.randomseed(os.time())

request = function()
    return wrk.format("GET", prefix .. ids[math.random(#ids)])
end
