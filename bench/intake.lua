-- wrk script: POST the citizen report form, each request with its own
-- idempotency key, reusing one CSRF secret (cookie and form field).
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("tid", thread_id)
  thread_id = thread_id + 1
end

function init(args)
  csrf = os.getenv("BENCH_CSRF")
  body_template = os.getenv("BENCH_BODY")
end

function request()
  counter = counter + 1
  local body = body_template .. "&idempotency_key=bench-" .. tid .. "-" .. counter
    .. "-" .. os.time()
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. csrf,
  }, body)
end

function done(summary, latency, requests)
  io.write(string.format("RESULT %d %d %.1f %.2f %.2f %d %d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
