-- Gives an admission back (the pacer had no slot): only if it is still this message's.
-- KEYS: user key, group key. ARGV: member.
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
