-- Beckon delivery queue: claim up to `limit` due deliveries, atomically.
-- KEYS[1] due sorted set (score notBefore) ; KEYS[2] stream ; KEYS[3] leases sorted set (score leaseUntil)
-- KEYS[4] pending sorted set (for counts: a due member whose hash is not PENDING leaves it too)
-- ARGV[1] delivery hash prefix ; ARGV[2] now (epoch ms, the queue's clock) ; ARGV[3] limit
-- ARGV[4] leaseUntil ; ARGV[5] token ; ARGV[6] group ; ARGV[7] consumer ; ARGV[8] most due keys moved
-- 1. leases that ended by the queue's clock: XCLAIM their entries (the delivery count grows) -> interrupted;
-- 2. due keys move from the sorted set into the stream (oldest notBefore first);
-- 3. XREADGROUP ... > reads new entries.
-- A hash, member or entry that is missing, not PENDING or not the hash's current entry is dropped
-- (XACK + XDEL); nothing stored stops the others.
-- Returns {{keyHash, interrupted 0/1, delivery count, {HGETALL before the claim}}, ...}
local pre = ARGV[1]
local now = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local leaseUntil = ARGV[4]
local token = ARGV[5]
local group = ARGV[6]
local consumer = ARGV[7]
local batch = tonumber(ARGV[8])
local out = {}

local function forget(id)
  if id and id ~= "" then
    redis.pcall("XACK", KEYS[2], group, id)
    redis.pcall("XDEL", KEYS[2], id)
  end
end

-- an entry named by the hash of h: dropped only if it is h's (an edited hash may name another's)
local function forgetOwn(id, h)
  if id and id ~= "" then
    local own = redis.pcall("XRANGE", KEYS[2], id, id)
    if type(own) == "table" and own[1] then
      local kv = own[1][2]
      for i = 1, #kv - 1, 2 do
        if kv[i] == "k" and kv[i + 1] == h then forget(id) end
      end
    end
  end
end

local function take(h, interrupted, count)
  local row = redis.call("HGETALL", pre .. h)
  redis.call("HSET", pre .. h, "t", token, "lu", leaseUntil, "ua", ARGV[2])
  redis.call("ZADD", KEYS[3], leaseUntil, h)
  out[#out + 1] = {h, interrupted, count, row}
end

-- 1. expired leases
local expired = redis.call("ZRANGEBYSCORE", KEYS[3], "-inf", now, "LIMIT", 0, limit)
for _, h in ipairs(expired) do
  local f = redis.call("HMGET", pre .. h, "s", "t", "lu", "e", "nb")
  if f[1] ~= "PENDING" then
    redis.call("ZREM", KEYS[3], h)
    redis.call("ZREM", KEYS[4], h)
    forgetOwn(f[4], h)
  elseif not f[2] then
    -- pending but held by nobody (an edited hash): back to the due set
    redis.call("ZREM", KEYS[3], h)
    forgetOwn(f[4], h)
    redis.call("HDEL", pre .. h, "e", "lu")
    redis.call("ZADD", KEYS[1], tonumber(f[5]) or now, h)
  elseif (tonumber(f[3]) or 0) > now then
    redis.call("ZADD", KEYS[3], f[3], h) -- the index was behind the hash
  else
    local count = 2
    if f[4] then
      local c = redis.call("XCLAIM", KEYS[2], group, consumer, 0, f[4])
      if #c > 0 then
        local p = redis.call("XPENDING", KEYS[2], group, f[4], f[4], 1)
        if p[1] then count = tonumber(p[1][4]) or 2 end
      else
        redis.call("HDEL", pre .. h, "e") -- its entry is gone; the hash holds the claim alone
      end
    end
    take(h, 1, count)
  end
end

-- 2. due keys into the stream
if #out < limit then
  redis.pcall("XGROUP", "CREATE", KEYS[2], group, "0", "MKSTREAM") -- BUSYGROUP when it exists
  local due = redis.call("ZRANGEBYSCORE", KEYS[1], "-inf", now, "LIMIT", 0, batch)
  for _, h in ipairs(due) do
    redis.call("ZREM", KEYS[1], h)
    local f = redis.call("HMGET", pre .. h, "s", "e")
    if f[1] == "PENDING" then
      forgetOwn(f[2], h)
      local id = redis.call("XADD", KEYS[2], "*", "k", h)
      redis.call("HSET", pre .. h, "e", id)
    else
      redis.call("ZREM", KEYS[4], h)
    end
  end
end

-- 3. new entries
local rounds = 0
while #out < limit and rounds < 8 do
  rounds = rounds + 1
  local r = redis.call("XREADGROUP", "GROUP", group, consumer, "COUNT", limit - #out, "STREAMS", KEYS[2], ">")
  if not r or not r[1] or #r[1][2] == 0 then
    break
  end
  for _, entry in ipairs(r[1][2]) do
    local id = entry[1]
    local kv = entry[2]
    local h = nil
    if type(kv) == "table" then
      for i = 1, #kv - 1, 2 do
        if kv[i] == "k" then h = kv[i + 1] end
      end
    end
    local taken = false
    if type(h) == "string" and #h > 0 and #h <= 128 then
      local f = redis.call("HMGET", pre .. h, "s", "e", "t", "lu")
      local live = f[3] and (tonumber(f[4]) or 0) > now
      if f[1] == "PENDING" and f[2] == id and not live then
        take(h, f[3] and 1 or 0, 1)
        taken = true
      end
    end
    if not taken then
      forget(id)
    end
  end
end
return out
