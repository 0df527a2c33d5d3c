-- Keep one availability, unless its person already keeps as many as allowed.
-- KEYS: availabilities, the person's set, stopped set, expiry, changes stream
-- ARGV: id, JSON, alerts (1/0), expiry score, most per person, stream length
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 0
    and redis.call('SCARD', KEYS[2]) >= tonumber(ARGV[5]) then
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[1])
if ARGV[3] == '1' then redis.call('SREM', KEYS[3], ARGV[1]) else redis.call('SADD', KEYS[3], ARGV[1]) end
redis.call('ZADD', KEYS[4], ARGV[4], ARGV[1])
redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[6], '*', 'id', ARGV[1])
return 1
