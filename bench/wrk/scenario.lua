-- One benchmark scenario for wrk (https://github.com/wg/wrk), started by bench/run.py.
--
-- GET scenarios need nothing here but the report at the end. POST scenarios pass a file of
-- url-encoded bodies (one per line, CSRF token included) after "--": each connection sends
-- them in turn (the vote toggle: add, remove, add, ...). Cookie and CSRF header come as -H.

local bodies = {}
local next_body = 0

function init(args)
  if args[1] then
    for line in io.lines(args[1]) do
      if #line > 0 then table.insert(bodies, line) end
    end
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  end
end

function request()
  if #bodies == 0 then
    return wrk.format()
  end
  next_body = next_body % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[next_body])
end

-- Non-2xx answers count as errors (wrk counts them in summary.errors.status).
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, ' ..
    '"p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f, "connect_errors": %d, ' ..
    '"read_errors": %d, "write_errors": %d, "status_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout))
end
