-- Replaces our in-progress claim with an unknown outcome, due for reconciliation after a while.
-- KEYS[1]: the event key. ARGV: [1] claim token, [2] fingerprint, [3] the value after the due time
-- (since .. attempt .. ':' ..), [4] reconcile after (ms), [5] retention (ms).
-- Returns 1 when written, or when the key already holds this outcome (a retry after a lost reply);
-- 0 when the key is gone or belongs to someone else (fencing).
local current = redis.call('GET', KEYS[1])
if current and string.sub(current, 1, 2) == '1U' and string.sub(current, 3, 13) == ARGV[2]
    and string.sub(current, 27) == ARGV[3] then
  return 1
end
if not current or string.sub(current, 1, 2) ~= '1P' or string.sub(current, 14, 35) ~= ARGV[1] then
  return 0
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local due = string.format('%d', now + tonumber(ARGV[4]))
redis.call('SET', KEYS[1], '1U' .. ARGV[2] .. due .. ARGV[3], 'PX', tonumber(ARGV[5]))
return 1
