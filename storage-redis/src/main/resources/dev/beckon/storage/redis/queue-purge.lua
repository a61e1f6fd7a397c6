-- Beckon delivery queue: delete up to `limit` final deliveries last changed before a time.
-- KEYS[1] done sorted set (score: when it became final) ; KEYS[2] the listing index
-- KEYS[3] pending ; KEYS[4] dead keys (the counts' sets)
-- ARGV[1] delivery hash prefix ; ARGV[2] before (epoch ms, exclusive) ; ARGV[3] limit
-- Returns how many were deleted.
local hs = redis.call("ZRANGEBYSCORE", KEYS[1], "-inf", "(" .. ARGV[2], "LIMIT", 0, tonumber(ARGV[3]))
local before = tonumber(ARGV[2])
local n = 0
for _, h in ipairs(hs) do
  local f = redis.call("HMGET", ARGV[1] .. h, "s", "ua")
  if not f[1] or f[1] == "PENDING" then
    redis.call("ZREM", KEYS[1], h)
    if not f[1] then
      redis.call("ZREM", KEYS[3], h)
      redis.call("ZREM", KEYS[4], h)
    end
  elseif (tonumber(f[2]) or 0) < before then
    redis.call("DEL", ARGV[1] .. h)
    redis.call("ZREM", KEYS[1], h)
    redis.call("ZREM", KEYS[2], h)
    redis.call("ZREM", KEYS[3], h)
    redis.call("ZREM", KEYS[4], h)
    n = n + 1
  end
end
return n
