-- wrk script of scripts/benchmark.sh: POST /webhooks, one payment event per request.
--   wrk ... -s webhooks.lua -- new <tag>         a new event id every request: evt_<tag><thread><counter>
--   wrk ... -s webhooks.lua -- duplicates <n>    cycles over evt_dup_<0..n-1>, which the script paid before
-- Ids are 25 characters, so keys are as long as the original service's (webhook: + 25).
-- At the end it prints one line, RESULT ..., that the benchmark script reads.

local threads = 0

function setup(thread)
   threads = threads + 1
   thread:set("thread_number", threads)
end

local mode, tag, set_size
local counter = 0
local headers = { ["Content-Type"] = "application/json" }

function init(args)
   mode = args[1] or "new"
   if mode == "duplicates" then
      set_size = tonumber(args[2] or "1000")
      -- each thread starts elsewhere in the set, so the connections do not ask for the same id together
      counter = math.floor(set_size * (thread_number - 1) / threads)
   else
      tag = string.sub((args[2] or "xx") .. "xx", 1, 2)
   end
end

function request()
   local id
   if mode == "duplicates" then
      id = string.format("evt_dup_%017d", counter % set_size)
   else
      id = string.format("evt_%s%03d%016d", tag, thread_number, counter)
   end
   counter = counter + 1
   return wrk.format("POST", "/webhooks", headers, '{"event_id":"' .. id .. '","amount":1000}')
end

function done(summary, latency, requests)
   local errors = summary.errors
   io.write(string.format("RESULT requests=%d rps=%.1f p50_ms=%.3f p99_ms=%.3f status_errors=%d socket_errors=%d\n",
      summary.requests, summary.requests / (summary.duration / 1e6),
      latency:percentile(50) / 1000, latency:percentile(99) / 1000,
      errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
