-- wrk script: every request GETs a path picked at random from a file (one path a line).
--
--   wrk -t2 -c64 -d10s --latency -s bench/paths.lua http://127.0.0.1:PORT -- PATHS_FILE [SEED]
--
-- Headers given with -H (e.g. Accept) go with every request. No response()
-- hook (it would make wrk parse every body in Lua): HTTP statuses >= 400 are
-- counted by wrk itself (errors.status). When the run ends, one line
-- "WRK_JSON {...}" gives exact counts and latency percentiles in µs for bench/http.py.

local paths = {}
local counter = 0

function setup(thread)
   counter = counter + 1
   thread:set("id", counter)
end

function init(args)
   local file = args[1] or error("usage: -- PATHS_FILE [SEED]")
   for line in io.lines(file) do
      if #line > 0 then paths[#paths + 1] = line end
   end
   math.randomseed((tonumber(args[2]) or 1) * 7919 + id)
end

function request()
   return wrk.format(nil, paths[math.random(#paths)])
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
      '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
      '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
      summary.requests, summary.duration, summary.bytes,
      e.connect, e.read, e.write, e.status, e.timeout,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
