-- KEYS: stream, dead set, dead records, the update's calls
-- ARGV: entry id, update id, record JSON, time, then call/result pairs
redis.call('XDEL', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[3], ARGV[2], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[2])
for i = 5, #ARGV - 1, 2 do
  redis.call('HSET', KEYS[4], ARGV[i], ARGV[i + 1])
end
redis.call('PERSIST', KEYS[4])
return 1
