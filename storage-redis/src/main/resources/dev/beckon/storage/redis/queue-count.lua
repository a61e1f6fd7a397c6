-- Beckon delivery queue: counts for monitoring, in one bounded read.
-- KEYS[1] pending sorted set (score notBefore) ; KEYS[2] dead keys sorted set
-- ARGV[1] delivery hash prefix ; ARGV[2] now (epoch ms, the queue's clock) ; ARGV[3] most members examined
-- Returns {pending, dead, the smallest notBefore of a due delivery held by no live lease, or -1}.
-- The due members are examined oldest first, held ones skipped, at most ARGV[3] of them: claims
-- take the oldest first, so past that many held deliveries the wait is not looked for (-1).
local now = tonumber(ARGV[2])
local oldest = -1
local due = redis.call("ZRANGEBYSCORE", KEYS[1], "-inf", now, "WITHSCORES", "LIMIT", 0, tonumber(ARGV[3]))
for i = 1, #due - 1, 2 do
  local f = redis.call("HMGET", ARGV[1] .. due[i], "s", "t", "lu")
  if f[1] == "PENDING" and not (f[2] and (tonumber(f[3]) or 0) > now) then
    oldest = tonumber(due[i + 1])
    break
  end
end
return {redis.call("ZCARD", KEYS[1]), redis.call("ZCARD", KEYS[2]), oldest}
