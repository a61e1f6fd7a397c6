-- Beckon delivery queue: change one delivery if its condition holds, atomically.
-- KEYS[1] the delivery's hash ; KEYS[2] due ; KEYS[3] stream ; KEYS[4] leases ; KEYS[5] done ; KEYS[6] dead letters
-- KEYS[7] pending (score notBefore) ; KEYS[8] dead keys (score: when it died), the two for counts
-- ARGV[1] key hash ; ARGV[2] expected token ("" = none: then the states below, and no live lease)
-- ARGV[3] now ; ARGV[4] new state ; ARGV[5] attempts (-1 keeps) ; ARGV[6] notBefore
-- ARGV[7] 1 if an outcome follows ; ARGV[8] outcome ; ARGV[9] 1 if an activity id follows ; ARGV[10] activity id
-- ARGV[11] group ; ARGV[12] dead-letter stream's approximate length ; ARGV[13..] expected states
-- Returns 1 applied, 0 not.
local f = redis.call("HMGET", KEYS[1], "s", "t", "lu", "e", "k")
if redis.call("EXISTS", KEYS[1]) == 0 then
  return 0
end
local now = tonumber(ARGV[3])
if ARGV[2] ~= "" then
  if f[2] ~= ARGV[2] then
    return 0
  end
else
  local free = (not f[2]) or (tonumber(f[3]) or 0) <= now
  local expected = false
  for i = 13, #ARGV do
    if f[1] == ARGV[i] then expected = true end
  end
  if not free or not expected then
    return 0
  end
end
local set = {"s", ARGV[4], "nb", ARGV[6], "ua", ARGV[3]}
if ARGV[5] ~= "-1" then
  set[#set + 1] = "a"
  set[#set + 1] = ARGV[5]
end
if ARGV[7] == "1" then
  set[#set + 1] = "o"
  set[#set + 1] = ARGV[8]
end
if ARGV[9] == "1" then
  set[#set + 1] = "ai"
  set[#set + 1] = ARGV[10]
end
redis.call("HSET", KEYS[1], unpack(set))
redis.call("HDEL", KEYS[1], "t", "lu", "e")
redis.call("ZREM", KEYS[4], ARGV[1])
redis.call("ZREM", KEYS[2], ARGV[1])
if f[4] then
  -- only its own entry: an edited hash may name another delivery's entry
  local own = redis.pcall("XRANGE", KEYS[3], f[4], f[4])
  if type(own) == "table" and own[1] then
    local kv = own[1][2]
    for i = 1, #kv - 1, 2 do
      if kv[i] == "k" and kv[i + 1] == ARGV[1] then
        redis.pcall("XACK", KEYS[3], ARGV[11], f[4])
        redis.pcall("XDEL", KEYS[3], f[4])
      end
    end
  end
end
if ARGV[4] == "PENDING" then
  redis.call("ZADD", KEYS[2], ARGV[6], ARGV[1])
  redis.call("ZREM", KEYS[5], ARGV[1])
  redis.call("ZADD", KEYS[7], ARGV[6], ARGV[1])
else
  redis.call("ZADD", KEYS[5], ARGV[3], ARGV[1])
  redis.call("ZREM", KEYS[7], ARGV[1])
end
if ARGV[4] ~= "DEAD" then
  redis.call("ZREM", KEYS[8], ARGV[1])
else
  redis.call("ZADD", KEYS[8], ARGV[3], ARGV[1])
  local outcome = ARGV[8]
  if ARGV[7] ~= "1" then outcome = redis.call("HGET", KEYS[1], "o") or "" end
  redis.call("XADD", KEYS[6], "MAXLEN", "~", ARGV[12], "*", "h", ARGV[1], "k", f[5] or "", "o", outcome, "at", ARGV[3])
end
return 1
