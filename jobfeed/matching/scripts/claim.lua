-- Take a due item of the alert queue for sending: lease it ahead, and count an alert
-- against the person's day; over the cap, the vacancy goes into their digest instead.
-- KEYS: queue, the person's day counter, their applications, their digest
-- ARGV: item, now, leased until, cap, vacancy id ('' for a digest item), digest item,
-- digest due, day-counter TTL, digest TTL
-- Returns 'send', 'digest' (moved there), 'applied' (dropped) or 'taken'.
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) > tonumber(ARGV[2]) then return 'taken' end
if ARGV[5] ~= '' then
  if redis.call('HEXISTS', KEYS[3], ARGV[5]) == 1 then
    redis.call('ZREM', KEYS[1], ARGV[1])
    return 'applied'
  end
  if tonumber(redis.call('GET', KEYS[2]) or '0') >= tonumber(ARGV[4]) then
    redis.call('ZREM', KEYS[1], ARGV[1])
    redis.call('SADD', KEYS[4], ARGV[5])
    redis.call('EXPIRE', KEYS[4], ARGV[9])
    redis.call('ZADD', KEYS[1], 'NX', ARGV[7], ARGV[6])
    return 'digest'
  end
  redis.call('INCR', KEYS[2])
  redis.call('EXPIRE', KEYS[2], ARGV[8])
end
redis.call('ZADD', KEYS[1], 'XX', ARGV[3], ARGV[1])
return 'send'
