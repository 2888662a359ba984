-- wrk script: POST the citizen report form at a FIXED total rate, for the page
-- benchmarks that need the primary under write load (bench/_load.py starts it).
--
-- wrk sends as fast as it can unless delay() holds each request back. Here every
-- thread keeps a timetable of slots BENCH_THREADS * 1000 / BENCH_RATE ms apart; a
-- connection that is ready takes the next free slot and waits for it. A slot
-- already past is sent at once (the server fell behind: the load catches up, as
-- wrk2 does) and counted as late, so a machine that cannot keep the rate says so.
--
-- Each report has its own idempotency key (the run, the thread, a counter) and
-- the next form of BENCH_FORMS (one urlencoded body a line: service, point in a
-- ward, CSRF field), so reports spread over the wards and services.
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } report_load_timespec;
int clock_gettime(int clk_id, report_load_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local clock = ffi.new("report_load_timespec")

local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, clock)
  return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end

local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("tid", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

function init(args)
  count = tonumber(os.getenv("BENCH_THREADS"))
  interval = count * 1000 / tonumber(os.getenv("BENCH_RATE"))
  run = os.getenv("BENCH_RUN")
  headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. os.getenv("BENCH_CSRF"),
  }
  forms = {}
  for line in io.lines(os.getenv("BENCH_FORMS")) do
    forms[#forms + 1] = line
  end
  -- Threads start a fraction of a slot apart, so their reports interleave.
  due = now_ms() + interval * tid / count
  sent, taken, refused, late, worst_late = 0, 0, 0, 0, 0
  statuses = {}
end

function delay()
  local wait = due - now_ms()
  due = due + interval
  if wait < 0 then
    late = late + 1
    worst_late = math.max(worst_late, -wait)
    return 0
  end
  return math.floor(wait)
end

function request()
  sent = sent + 1
  -- Threads start at different places in the forms, so they do not send the same ones.
  local form = forms[(sent + math.floor(tid * #forms / count)) % #forms + 1]
  return wrk.format("POST", "/report/", headers,
    form .. "&idempotency_key=" .. run .. "-" .. tid .. "-" .. sent)
end

function response(status, response_headers, body)
  local location = response_headers["Location"] or response_headers["location"] or ""
  if status == 302 and string.find(location, "/track/", 1, true) then
    taken = taken + 1
  else
    -- A 200 is the form shown again with an error: the report was not taken.
    refused = refused + 1
  end
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local all = { taken = 0, refused = 0, late = 0, worst_late = 0 }
  local codes = {}
  for _, thread in ipairs(threads) do
    all.taken = all.taken + thread:get("taken")
    all.refused = all.refused + thread:get("refused")
    all.late = all.late + thread:get("late")
    all.worst_late = math.max(all.worst_late, thread:get("worst_late"))
    for code, n in pairs(thread:get("statuses")) do
      codes[code] = (codes[code] or 0) + n
    end
  end
  local errors = summary.errors
  io.write(string.format("LOAD %d %d %d %d %d %.2f %.2f %.2f %d %.1f\n",
    summary.requests, summary.duration, all.taken, all.refused,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    all.late, all.worst_late))
  for code, n in pairs(codes) do
    io.write(string.format("STATUS %d %d\n", code, n))
  end
end
