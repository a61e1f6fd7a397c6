-- Beckon: one page of a listing, in key-hash order, from an index sorted set.
-- KEYS[1] the index (all, or one channel)
-- ARGV[1] exclusive start member ("" = from the beginning) ; ARGV[2] page size
-- ARGV[3] now (epoch ms) ; ARGV[4] tenant filter ("" = none)
-- ARGV[5] segment count (0 = none) ; ARGV[6] segment index ; ARGV[7] value key prefix
-- ARGV[8] most index members to examine
-- Index members whose value is gone (expired natively) are removed on the way.
-- Returns {lastExamined or false, more (0/1), hash1, json1, version1, channel1, conversation1, hash2, ...}
-- (json, version, channel or conversation is false when the field is missing)
local start = ARGV[1] == "" and "-" or ("(" .. ARGV[1])
local size = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local segCount = tonumber(ARGV[5])
local segIndex = tonumber(ARGV[6])
local budget = tonumber(ARGV[8])
-- the stored bucket, or the same value from the key hash (its first 31 bits) if a row lacks it
local function bucket(stored, hash)
  return tonumber(stored) or (tonumber(string.sub(hash, 1, 8), 16) % 2147483648)
end
local out = {}
local found = 0
local last = false
local more = 0
while found < size and budget > 0 do
  local batch = math.min(budget, size - found + 16)
  local members = redis.call("ZRANGEBYLEX", KEYS[1], start, "+", "LIMIT", 0, batch)
  if #members == 0 then
    break
  end
  for i = 1, #members do
    local m = members[i]
    budget = budget - 1
    last = m
    local f = redis.call("HMGET", ARGV[7] .. m, "j", "v", "x", "t", "b", "c", "k")
    if not f[1] and not f[2] then
      redis.call("ZREM", KEYS[1], m)
    elseif ((tonumber(f[3]) or 0) == 0 or tonumber(f[3]) > now)
        and (ARGV[4] == "" or f[4] == ARGV[4])
        and (segCount == 0 or bucket(f[5], m) % segCount == segIndex) then
      out[#out + 1] = m
      out[#out + 1] = f[1]
      out[#out + 1] = f[2]
      out[#out + 1] = f[6]
      out[#out + 1] = f[7]
      found = found + 1
    end
    if found == size or budget == 0 then
      break
    end
  end
  start = "(" .. last
end
if last then
  local next = redis.call("ZRANGEBYLEX", KEYS[1], "(" .. last, "+", "LIMIT", 0, 1)
  if #next > 0 then more = 1 end
end
local result = {last, more}
for i = 1, #out do result[#result + 1] = out[i] end
return result
