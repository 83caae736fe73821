-- Posts the public contribution form: each request a different text (no two alike), the
-- CSRF cookie and token and the signed start time given by bench/trace_append.py in
-- environment variables. Prints one JSON line: answers by status and errors.
local threads = {}
local template = os.getenv("BENCH_BODY")
local cookie = os.getenv("BENCH_COOKIE")

function setup(thread)
  thread:set("number", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  sent = 0
  redirected = 0
  other = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = cookie
end

function request()
  sent = sent + 1
  return wrk.format(nil, nil, nil, string.format(template, number, sent))
end

function response(status, headers, body)
  if status == 302 then
    redirected = redirected + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local accepted, refused = 0, 0
  for _, thread in ipairs(threads) do
    accepted = accepted + thread:get("redirected")
    refused = refused + thread:get("other")
  end
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format(
    'WRK {"requests": %d, "seconds": %.3f, "accepted": %d, "other_status": %d, '
      .. '"socket_errors": %d, "p50": %d, "p95": %d}\n',
    summary.requests, summary.duration / 1e6, accepted, refused, errors,
    latency:percentile(50), latency:percentile(95)))
end
