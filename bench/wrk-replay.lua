-- wrk script: replays requests prepared (and signed) by bench/wrk.ts, each once, in order.
-- Arguments: the requests file (each request: its length in bytes, a newline, the raw HTTP
-- request) and the file to write the outcome to (one JSON line, then the event id of every 2xx
-- answer, one per line).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local file = assert(io.open(args[1], "rb"))
  local data = file:read("*a")
  file:close()
  outcome_file, prepared, sent, accepted, failed = args[2], {}, 0, {}, 0
  local at = 1
  while at <= #data do
    local newline = data:find("\n", at, true)
    local length = tonumber(data:sub(at, newline - 1))
    prepared[#prepared + 1] = data:sub(newline + 1, newline + length)
    at = newline + 1 + length
  end
  count = #prepared
end

function request()
  sent = sent + 1
  -- Past the last one, repeat from the first: the bench counts these as "ran out".
  return prepared[(sent - 1) % count + 1]
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    local id = body:match('"eventId":"([^"]+)"')
    if id then accepted[#accepted + 1] = id end
  else
    failed = failed + 1
  end
end

function done(summary, latency, requests)
  local out = assert(io.open(threads[1]:get("outcome_file"), "w"))
  local ids, failures, ranOut = {}, 0, 0
  for _, thread in ipairs(threads) do
    for _, id in ipairs(thread:get("accepted")) do ids[#ids + 1] = id end
    failures = failures + thread:get("failed")
    -- wrk calls request() once more than it sends, to check what it returns before the run.
    ranOut = ranOut + math.max(0, thread:get("sent") - 1 - thread:get("count"))
  end
  local errors = summary.errors
  out:write(string.format(
    '{"requests":%d,"seconds":%.6f,"non2xx":%d,"socketErrors":%d,"ranOut":%d,"p50_ms":%.3f,"p99_ms":%.3f}\n',
    summary.requests, summary.duration / 1e6, failures, errors.connect + errors.read + errors.write + errors.timeout,
    ranOut, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
  for _, id in ipairs(ids) do out:write(id, "\n") end
  out:close()
end
