-- Beckon: one atomic write of a reference and its index entries.
-- KEYS[1] value hash, KEYS[2] index of all references, KEYS[3] index of the channel,
-- KEYS[4] set of channel index keys (so purges can clean every index)
-- ARGV[1] the precondition (Precondition.Kind): "ANY" | "ABSENT" | "VERSION"
-- ARGV[2] expected version (VERSION) ; ARGV[3] now (epoch ms, the store's clock)
-- ARGV[4] json ; ARGV[5] new version ; ARGV[6] expiresAt (epoch ms, 0 = never)
-- ARGV[7] channel ; ARGV[8] tenant ("" = none) ; ARGV[9] bucket ; ARGV[10] key hash
-- ARGV[11] conversation id (kept outside the JSON so that a row whose JSON cannot be read still
-- names its key)
-- Returns {1, version} when written, {0, actualVersion or false} when not.
local mode = ARGV[1]
local now = tonumber(ARGV[3])
if mode ~= "ANY" then
  local cur = redis.call("HMGET", KEYS[1], "v", "x")
  local live = cur[1] and (tonumber(cur[2]) == 0 or tonumber(cur[2]) > now)
  if mode == "ABSENT" and live then
    return {0, cur[1]}
  end
  if mode == "VERSION" and (not live or cur[1] ~= ARGV[2]) then
    if live then return {0, cur[1]} else return {0, false} end
  end
end
-- every field is written every time, so no stale field can survive an overwrite
local created = redis.call("HSET", KEYS[1], "j", ARGV[4], "v", ARGV[5], "x", ARGV[6], "c", ARGV[7], "t", ARGV[8], "b", ARGV[9], "k", ARGV[11])
if tonumber(ARGV[6]) > 0 then
  redis.call("PEXPIREAT", KEYS[1], ARGV[6])
elseif created == 0 then
  redis.call("PERSIST", KEYS[1])
end
if created > 0 then
  -- a new value: index it (an existing value is always indexed already)
  redis.call("ZADD", KEYS[2], 0, ARGV[10])
  redis.call("ZADD", KEYS[3], 0, ARGV[10])
  redis.call("SADD", KEYS[4], KEYS[3])
end
return {1, ARGV[5]}
