-- For an operator: replaces (or, with an empty value, deletes) an event key, only if it still holds the
-- value the operator looked at. KEYS[1]: the event key. ARGV: [1] expected value, [2] new value, [3] TTL (ms).
-- Returns 1 when done, 0 when the value changed meanwhile.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], ARGV[2], 'PX', tonumber(ARGV[3]))
end
return 1
