-- Adds one amount (integer nano-USD) to several spend fields, once per operation id.
-- KEYS[1] the spend hash, KEYS[2] the operation's marker key.
-- ARGV[1] amount, ARGV[2] hash ttl (ms), ARGV[3] marker ttl (ms), ARGV[4..] the fields.
-- Returns 1 when added, 0 when the operation was applied before (a replay).
if not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[3]) then
  return 0
end
for i = 4, #ARGV do
  redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[1])
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
