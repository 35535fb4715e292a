-- Claims an event key in one round trip, atomically.
-- KEYS[1]: the event key. ARGV: [1] fingerprint, [2] claim token, [3] lease (ms), [4] retention (ms).
-- An in-progress value is '1P' .. fingerprint(11) .. token(22) .. lease end (ms, Redis clock).
-- Returns 0 when claimed fresh (or when the key already holds this very claim: a retry after a lost
-- reply), 1 when an expired claim for the same payment was taken over, or {value, remaining ms} for a
-- record that still counts or belongs to another payment (left untouched).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local current = redis.call('GET', KEYS[1])
local takeover = 0
if current then
  if string.sub(current, 1, 2) ~= '1P' then
    return {current, redis.call('PTTL', KEYS[1])}
  end
  if string.sub(current, 14, 35) == ARGV[2] then
    return 0
  end
  local lease_end = tonumber(string.sub(current, 36))
  if not lease_end then
    -- Unreadable: handed back for the caller to report, never overwritten.
    return {current, redis.call('PTTL', KEYS[1])}
  end
  if lease_end > now then
    return {current, lease_end - now}
  end
  if string.sub(current, 3, 13) ~= ARGV[1] then
    return {current, 0}
  end
  takeover = 1
end
local lease = tonumber(ARGV[3])
local value = '1P' .. ARGV[1] .. ARGV[2] .. string.format('%d', now + lease)
redis.call('SET', KEYS[1], value, 'PX', lease + tonumber(ARGV[4]))
return takeover
