-- Beckon: delete a reference and its index entries, optionally only at a version.
-- KEYS[1] value hash, KEYS[2] index of all, KEYS[3] index of the channel
-- ARGV[1] expected version ("" = any) ; ARGV[2] now (epoch ms) ; ARGV[3] key hash
-- Returns {1} deleted, {0} nothing live to delete, {-1, actual} version conflict.
local cur = redis.call("HMGET", KEYS[1], "v", "x")
local live = cur[1] and (tonumber(cur[2]) == 0 or tonumber(cur[2]) > tonumber(ARGV[2]))
if live and ARGV[1] ~= "" and cur[1] ~= ARGV[1] then
  return {-1, cur[1]}
end
redis.call("DEL", KEYS[1])
redis.call("ZREM", KEYS[2], ARGV[3])
redis.call("ZREM", KEYS[3], ARGV[3])
if live then return {1} else return {0} end
