-- wrk script for bench/tiles_vs_tipg.py: cycles through a list of request paths, one per line.
--
--   WRK_PATHS=paths.txt WRK_AUTH="Bearer ..." wrk -t1 -c8 -d10s -s bench/wrk_urls.lua http://127.0.0.1:8000
--
-- WRK_PATHS  file of paths (with query strings), one per line, sent in this order, over and over
-- WRK_AUTH   value of the Authorization header; empty or unset: no header
-- At the end one line "WRK_JSON {...}" carries the counts and latency percentiles (microseconds).

local requests = {}
local counter = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_index", #threads)
end

function init(args)
  local auth = os.getenv("WRK_AUTH")
  if auth ~= nil and #auth > 0 then
    wrk.headers["Authorization"] = auth
  end
  for line in io.lines(os.getenv("WRK_PATHS")) do
    if #line > 0 then
      requests[#requests + 1] = wrk.format("GET", line)
    end
  end
  -- several threads start at different places of the list; the first starts at its beginning
  counter = ((thread_index or 1) - 1) * 7919
end

function request()
  counter = counter + 1
  return requests[(counter - 1) % #requests + 1]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "errors_connect": %d, "errors_read": %d, '
      .. '"errors_write": %d, "errors_status": %d, "errors_timeout": %d, "p50_us": %d, "p90_us": %d, '
      .. '"p99_us": %d, "mean_us": %.1f, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max))
end
