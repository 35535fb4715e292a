-- Claims an event key in one round trip, atomically.
-- KEYS[1]: the event key. ARGV: [1] fingerprint, [2] claim token, [3] lease (ms), [4] retention (ms).
-- In progress: '1P' .. fingerprint(11) .. token(22) .. lease end(13, ms, Redis clock) .. attempt (absent: 1).
-- Unknown:     '1U' .. fingerprint(11) .. due(13) .. since(13) .. sent(13) .. attempt .. ':' .. the rest.
-- Returns {0, attempt} when claimed fresh (or when the key already holds this very claim: a retry after a
-- lost reply), {1, attempt} when an expired claim for the same payment was taken over, {2, attempt, value}
-- when a due unknown outcome of the same payment was taken over to reconcile it, or {value, remaining ms}
-- for a record that still counts or belongs to another payment (left untouched).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local current = redis.call('GET', KEYS[1])
local kind, attempt = 0, 1
if current then
  local state = string.sub(current, 1, 2)
  if state == '1P' then
    local lease_end = tonumber(string.sub(current, 36, 48))
    if not lease_end then
      -- Unreadable: handed back for the caller to report, never overwritten.
      return {current, redis.call('PTTL', KEYS[1])}
    end
    attempt = tonumber(string.sub(current, 49)) or 1
    if string.sub(current, 14, 35) == ARGV[2] then
      return {0, attempt}
    end
    if lease_end > now then
      return {current, lease_end - now}
    end
    if string.sub(current, 3, 13) ~= ARGV[1] then
      return {current, 0}
    end
    kind = 1
  elseif state == '1U' then
    local due = tonumber(string.sub(current, 14, 26))
    local unknown_attempt = tonumber(string.match(current, '^(%d+):', 53))
    if not due or not unknown_attempt then
      return {current, redis.call('PTTL', KEYS[1])}
    end
    if due > now then
      return {current, due - now}
    end
    if string.sub(current, 3, 13) ~= ARGV[1] then
      return {current, 0}
    end
    kind, attempt = 2, unknown_attempt + 1
  else
    return {current, redis.call('PTTL', KEYS[1])}
  end
end
local lease = tonumber(ARGV[3])
local value = '1P' .. ARGV[1] .. ARGV[2] .. string.format('%d', now + lease)
if attempt > 1 then
  value = value .. attempt
end
redis.call('SET', KEYS[1], value, 'PX', lease + tonumber(ARGV[4]))
if kind == 2 then
  return {2, attempt, current}
end
return {kind, attempt}
