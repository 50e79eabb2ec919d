-- Reserves an amount on every budget window, all or nothing.
-- Per window i: KEYS[2i-1] its budget hash (start, spent, reserved, r:<id> = amount of each open
-- reservation), KEYS[2i] its zset of open reservation ids scored by expiry (Redis time, ms).
-- ARGV[1] amount (nano-USD), ARGV[2] reservation id, ARGV[3] reservation ttl (ms), then per window
-- ARGV[4+3(i-1)] start (ms), ARGV[5+3(i-1)] limit (nano-USD), ARGV[6+3(i-1)] key ttl (ms).
-- Returns {refusedIndex (0 = granted), spent1, reserved1, spent2, reserved2, ...}.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local amount = tonumber(ARGV[1])
local id = ARGV[2]
local n = #KEYS / 2
local out = {0}
local function window(i)
  local b, z = KEYS[2 * i - 1], KEYS[2 * i]
  local start = tonumber(ARGV[4 + 3 * (i - 1)])
  local cur = tonumber(redis.call('HGET', b, 'start'))
  if cur == nil or cur < start then
    redis.call('DEL', b, z)
    redis.call('HSET', b, 'start', start, 'spent', 0, 'reserved', 0)
  elseif cur > start then
    return nil
  end
  -- reservations of callers that died or never settled: released at their expiry
  local expired = redis.call('ZRANGEBYSCORE', z, '-inf', now)
  for _, e in ipairs(expired) do
    local a = redis.call('HGET', b, 'r:' .. e)
    if a then
      redis.call('HINCRBY', b, 'reserved', -tonumber(a))
      redis.call('HDEL', b, 'r:' .. e)
    end
    redis.call('ZREM', z, e)
  end
  return b, z
end
for i = 1, n do
  local b, z = window(i)
  local ok = b ~= nil
  if ok then
    local spent = tonumber(redis.call('HGET', b, 'spent'))
    local reserved = tonumber(redis.call('HGET', b, 'reserved'))
    ok = spent + reserved + amount <= tonumber(ARGV[5 + 3 * (i - 1)])
  end
  if not ok then
    for j = 1, i - 1 do
      local bj, zj = KEYS[2 * j - 1], KEYS[2 * j]
      redis.call('HINCRBY', bj, 'reserved', -amount)
      redis.call('HDEL', bj, 'r:' .. id)
      redis.call('ZREM', zj, id)
    end
    out[1] = i
    for k = 1, n do
      local bk = KEYS[2 * k - 1]
      table.insert(out, redis.call('HGET', bk, 'spent') or '0')
      table.insert(out, redis.call('HGET', bk, 'reserved') or '0')
      table.insert(out, redis.call('HGET', bk, 'start') or '0')
    end
    return out
  end
  redis.call('HINCRBY', b, 'reserved', amount)
  redis.call('HSET', b, 'r:' .. id, amount)
  redis.call('ZADD', z, now + tonumber(ARGV[3]), id)
  redis.call('PEXPIRE', b, ARGV[6 + 3 * (i - 1)])
  redis.call('PEXPIRE', z, ARGV[6 + 3 * (i - 1)])
end
for k = 1, n do
  local bk = KEYS[2 * k - 1]
  table.insert(out, redis.call('HGET', bk, 'spent'))
  table.insert(out, redis.call('HGET', bk, 'reserved'))
  table.insert(out, redis.call('HGET', bk, 'start'))
end
return out
