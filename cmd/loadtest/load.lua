-- wrk script of cmd/loadtest. The Go side puts the run's `targets` (method,
-- path, headers, body) and `pace_ms` (0: full speed) above this text.

if #targets == 1 then
   -- One target: wrk's static request, formatted once, no Lua per request.
   local t = targets[1]
   wrk.method, wrk.path, wrk.body = t.method, t.path, t.body
   for name, value in pairs(t.headers) do
      wrk.headers[name] = value
   end
else
   local formatted, n = {}, 0
   function init(args)
      for i, t in ipairs(targets) do
         formatted[i] = wrk.format(t.method, t.path, t.headers, t.body)
      end
   end
   function request()
      n = n % #formatted + 1
      return formatted[n]
   end
end

if pace_ms > 0 then
   -- Each connection waits this long after an answer before its next
   -- request. wrk's timers count whole milliseconds, so the fraction is
   -- drawn: the mean wait is pace_ms.
   local whole = math.floor(pace_ms)
   local fraction = pace_ms - whole
   function delay()
      if math.random() < fraction then
         return whole + 1
      end
      return whole
   end
end

-- One line for cmd/loadtest to parse; wrk's own summary stays above it.
function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "loadtest: requests=%.0f duration_us=%.0f bytes=%.0f connect=%.0f read=%.0f write=%.0f status=%.0f timeout=%.0f p50_us=%.0f p99_us=%.0f max_us=%.0f\n",
      summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
      latency:percentile(50), latency:percentile(99), latency.max))
end
