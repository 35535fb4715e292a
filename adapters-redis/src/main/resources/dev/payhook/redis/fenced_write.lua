-- Replaces or deletes an event key only while it holds the in-progress claim with our token.
-- KEYS[1]: the event key. ARGV: [1] claim token, [2] new value ('' deletes), [3] TTL (ms).
-- Returns 1 when written, or when the key already holds exactly the new value (a retry after a lost
-- reply); 0 when the key is gone or belongs to someone else (fencing).
local current = redis.call('GET', KEYS[1])
if current and ARGV[2] ~= '' and current == ARGV[2] then
  return 1
end
if not current or string.sub(current, 1, 2) ~= '1P' or string.sub(current, 14, 35) ~= ARGV[1] then
  return 0
end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], ARGV[2], 'PX', tonumber(ARGV[3]))
end
return 1
