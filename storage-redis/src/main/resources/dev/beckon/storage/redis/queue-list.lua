-- Beckon delivery queue: one page of a listing, in key-hash order, from the listing index.
-- KEYS[1] the listing index (sorted set, every member scored 0: lexicographic order)
-- ARGV[1] delivery hash prefix ; ARGV[2] exclusive start member ("" = from the beginning)
-- ARGV[3] most rows returned ; ARGV[4] state filter ("" = none) ; ARGV[5] most members examined
-- Members whose hash is gone are removed on the way.
-- Returns {lastExamined or false, more (0/1), {keyHash, {HGETALL}}, ...}
local start = ARGV[2] == "" and "-" or ("(" .. ARGV[2])
local limit = tonumber(ARGV[3])
local state = ARGV[4]
local budget = tonumber(ARGV[5])
local out = {}
local last = false
while #out < limit and budget > 0 do
  local members = redis.call("ZRANGEBYLEX", KEYS[1], start, "+", "LIMIT", 0, math.min(budget, limit - #out + 16))
  if #members == 0 then
    break
  end
  for i = 1, #members do
    local m = members[i]
    budget = budget - 1
    last = m
    local s = redis.call("HGET", ARGV[1] .. m, "s")
    if not s then
      redis.call("ZREM", KEYS[1], m)
    elseif state == "" or s == state then
      out[#out + 1] = {m, redis.call("HGETALL", ARGV[1] .. m)}
    end
    if #out == limit or budget == 0 then
      break
    end
  end
  start = "(" .. last
end
local more = 0
if last then
  local next = redis.call("ZRANGEBYLEX", KEYS[1], "(" .. last, "+", "LIMIT", 0, 1)
  if #next > 0 then more = 1 end
end
return {last, more, out}
