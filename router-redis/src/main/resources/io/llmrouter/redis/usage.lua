-- Counts requests and tokens of one deployment in one clock minute (the key is the minute's), in
-- total and for the router instance that sends them.
-- KEYS[1] the minute's hash; ARGV[1] requests to add, ARGV[2] tokens to add, ARGV[3] key ttl (ms),
-- ARGV[4] the instance id.
-- Returns the minute's {requests, tokens} of the fleet and of the instance, after the increment.
local r = redis.call('HINCRBY', KEYS[1], 'r', ARGV[1])
local t = redis.call('HINCRBY', KEYS[1], 't', ARGV[2])
local mr = redis.call('HINCRBY', KEYS[1], 'r:' .. ARGV[4], ARGV[1])
local mt = redis.call('HINCRBY', KEYS[1], 't:' .. ARGV[4], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {r, t, mr, mt}
