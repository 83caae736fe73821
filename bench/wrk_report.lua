-- wrk's summary as one JSON line (bench/pages.py reads it): requests/s, latency
-- percentiles in microseconds, errors and non-2xx answers.
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format(
    'WRK {"requests": %d, "seconds": %.3f, "rps": %.2f, "p50": %d, "p95": %d, "p99": %d, '
      .. '"errors": %d, "non2xx": %d, "bytes": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    errors, summary.errors.status, summary.bytes))
end
