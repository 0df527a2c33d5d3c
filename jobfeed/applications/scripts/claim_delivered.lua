-- KEYS: claim, application hash, undelivered set; ARGV: owner, number, delivered at
redis.call('HSET', KEYS[2], 'delivered', ARGV[3])
redis.call('ZREM', KEYS[3], ARGV[2])
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
