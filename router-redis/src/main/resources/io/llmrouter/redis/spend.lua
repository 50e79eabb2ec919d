-- Adds amounts (integer nano-USD, or counts) to spend fields, once per operation id.
-- KEYS[1] the spend hash, KEYS[2] the operation's marker key.
-- ARGV[1] hash ttl (ms), ARGV[2] marker ttl (ms), then pairs: ARGV[2i+1] a field, ARGV[2i+2] its amount.
-- Returns 1 when added, 0 when the operation was applied before (a replay).
if not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[2]) then
  return 0
end
for i = 3, #ARGV, 2 do
  redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1])
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
