-- Reads an event key with how long it still counts: the rest of the lease for a claim, the wait until
-- reconciliation for an unknown outcome (nil once either has run out), the rest of the TTL otherwise.
-- KEYS[1]: the event key.
local current = redis.call('GET', KEYS[1])
if not current then
  return nil
end
local state = string.sub(current, 1, 2)
if state == '1P' or state == '1U' then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local ends = tonumber(string.sub(current, state == '1P' and 36 or 14, state == '1P' and 48 or 26))
  if not ends then
    return {current, redis.call('PTTL', KEYS[1])}
  end
  if ends <= now then
    return nil
  end
  return {current, ends - now}
end
return {current, redis.call('PTTL', KEYS[1])}
