-- Beckon delivery queue: insert a delivery unless its key exists (in any state).
-- KEYS[1] the delivery's hash ; KEYS[2] the due sorted set ; KEYS[3] the listing index (score 0)
-- KEYS[4] the pending sorted set (score notBefore, for counts)
-- ARGV[1] key hash ; ARGV[2] notBefore (epoch ms) ; ARGV[3..] field, value, field, value, ...
-- Returns 1 inserted, 0 the key existed.
if redis.call("EXISTS", KEYS[1]) == 1 then
  return 0
end
local fields = {}
for i = 3, #ARGV do
  fields[#fields + 1] = ARGV[i]
end
redis.call("HSET", KEYS[1], unpack(fields))
redis.call("ZADD", KEYS[2], ARGV[2], ARGV[1])
redis.call("ZADD", KEYS[3], 0, ARGV[1])
redis.call("ZADD", KEYS[4], ARGV[2], ARGV[1])
return 1
