-- Settles a reservation once: releases it from the windows that still hold it and charges the
-- actual cost to the windows given, in one atomic step.
-- KEYS[1] the reservation's settled-marker; then per held window a budget hash and its zset; then
-- per charged window a budget hash and its zset.
-- ARGV[1] reservation id, ARGV[2] actual cost (nano-USD), ARGV[3] marker ttl (ms), ARGV[4] number of
-- held windows h, ARGV[5..4+h] their starts (ms), then per charged window its start (ms) and key ttl (ms).
-- Returns {settled (1, or 0 for a repeat), then per charged window spent, reserved, start}.
if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[3]) then
  return {0}
end
local id = ARGV[1]
local actual = tonumber(ARGV[2])
local h = tonumber(ARGV[4])
for i = 1, h do
  local b, z = KEYS[2 * i], KEYS[2 * i + 1]
  if tonumber(redis.call('HGET', b, 'start')) == tonumber(ARGV[4 + i]) then
    local a = redis.call('HGET', b, 'r:' .. id)
    if a then
      redis.call('HINCRBY', b, 'reserved', -tonumber(a))
      redis.call('HDEL', b, 'r:' .. id)
    end
  end
  redis.call('ZREM', z, id)
end
local out = {1}
local c = (#KEYS - 1) / 2 - h
for j = 1, c do
  local b, z = KEYS[2 * (h + j)], KEYS[2 * (h + j) + 1]
  local start = tonumber(ARGV[4 + h + 2 * j - 1])
  local cur = tonumber(redis.call('HGET', b, 'start'))
  if cur == nil or cur < start then
    redis.call('DEL', b, z)
    redis.call('HSET', b, 'start', start, 'spent', 0, 'reserved', 0)
    cur = start
  end
  if cur == start then
    redis.call('HINCRBY', b, 'spent', actual)
    redis.call('PEXPIRE', b, ARGV[4 + h + 2 * j])
  end
  table.insert(out, redis.call('HGET', b, 'spent'))
  table.insert(out, redis.call('HGET', b, 'reserved'))
  table.insert(out, redis.call('HGET', b, 'start'))
end
return out
