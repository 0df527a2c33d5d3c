-- KEYS: the placement, its personal part, all placements, the worker's placements, the
--       check-in schedule
-- ARGV: record JSON, start (ISO date), start score, pay, broker ('' none), personal JSON,
--       worker id, number, then pairs of (check-in member, due score)
-- Returns 1 when created, 0 when the placement existed already (a replayed hire).
if redis.call('HEXISTS', KEYS[1], 'record') == 1 then return 0 end
redis.call('HSET', KEYS[1], 'record', ARGV[1], 'start', ARGV[2], 'pay', ARGV[4],
  'worker', ARGV[7])
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'broker', ARGV[5]) end
redis.call('SET', KEYS[2], ARGV[6])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[8])
redis.call('SADD', KEYS[4], ARGV[8])
for i = 9, #ARGV, 2 do
  redis.call('ZADD', KEYS[5], ARGV[i + 1], ARGV[i])
end
return 1
