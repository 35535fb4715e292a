-- Reads an event key with how long it still counts: the rest of the lease for a claim (nil once the
-- lease has run out), the rest of the TTL otherwise. KEYS[1]: the event key.
local current = redis.call('GET', KEYS[1])
if not current then
  return nil
end
if string.sub(current, 1, 2) == '1P' then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local lease_end = tonumber(string.sub(current, 36))
  if not lease_end then
    return {current, redis.call('PTTL', KEYS[1])}
  end
  if lease_end <= now then
    return nil
  end
  return {current, lease_end - now}
end
return {current, redis.call('PTTL', KEYS[1])}
