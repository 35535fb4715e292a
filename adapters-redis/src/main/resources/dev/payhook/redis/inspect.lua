-- Reads an event key for an operator: the value, whatever its state, with how long it still counts
-- (the rest of a lease or of the wait to reconcile, zero once run out; the rest of the TTL otherwise).
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
  if ends then
    return {current, math.max(0, ends - now)}
  end
end
return {current, redis.call('PTTL', KEYS[1])}
