-- The lease of the one process migrating the data: take it, renew it, drop it.
-- KEYS: the lease   ARGV: owner token, mode ('take' | 'renew' | 'drop'), ms
if ARGV[2] == 'take' then
  return redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[3]) and 1 or 0
end
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == 'renew' then return redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return redis.call('DEL', KEYS[1])
