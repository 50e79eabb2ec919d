-- Applies one health transition of a deployment by the StateStore rules and publishes it when kept.
-- KEYS[1] the health hash (field: deployment id, value: "until|at|reason", until 0 when available).
-- ARGV[1] deployment id, ARGV[2] until (ms, 0 = available), ARGV[3] at (ms), ARGV[4] reason,
-- ARGV[5] publisher instance id, ARGV[6] hash ttl (ms), ARGV[7] channel.
-- Returns 1 when applied, 0 when the current state is kept.
local nu = tonumber(ARGV[2])
local nat = tonumber(ARGV[3])
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if cur then
  local cu, cat = string.match(cur, '^(%d+)|(%d+)|')
  cu = tonumber(cu)
  cat = tonumber(cat)
  if nu > 0 and nat < cu then
    -- both cool the deployment at once: the later end wins
    if nu <= cu then
      return 0
    end
  elseif nat < cat then
    -- late news: older than the state applied
    return 0
  end
end
local v = ARGV[2] .. '|' .. ARGV[3] .. '|' .. ARGV[4]
redis.call('HSET', KEYS[1], ARGV[1], v)
redis.call('PEXPIRE', KEYS[1], ARGV[6])
redis.call('PUBLISH', ARGV[7], ARGV[2] .. '|' .. ARGV[3] .. '|' .. ARGV[5] .. '|' .. ARGV[4] .. '|' .. ARGV[1])
return 1
