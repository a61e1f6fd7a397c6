-- Beckon: remove expired references (and dangling index entries) among a batch of index members.
-- KEYS[1] index of all ; KEYS[2] set of channel index keys
-- ARGV[1] now (epoch ms) ; ARGV[2] value key prefix ; ARGV[3..] members
-- Returns the number of references (or dangling entries) removed.
local removed = 0
local channels = nil
for i = 3, #ARGV do
  local m = ARGV[i]
  local f = redis.call("HMGET", ARGV[2] .. m, "x")
  local gone = not f[1]
  local expired = f[1] and tonumber(f[1]) > 0 and tonumber(f[1]) <= tonumber(ARGV[1])
  if gone or expired then
    local deleted = 0
    if expired then deleted = redis.call("DEL", ARGV[2] .. m) end
    local unindexed = redis.call("ZREM", KEYS[1], m)
    if not channels then channels = redis.call("SMEMBERS", KEYS[2]) end
    for j = 1, #channels do redis.call("ZREM", channels[j], m) end
    -- counted only by the purge that removed it: a racing purge's batch holds the same members
    if deleted == 1 or unindexed == 1 then removed = removed + 1 end
  end
end
return removed
