-- KEYS: meta, due   ARGV: to ('paused' | 'running')
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return 'missing' end
if ARGV[1] == 'paused' then
  if status ~= 'running' and status ~= 'scheduled' then return status end
  redis.call('HSET', KEYS[1], 'status', 'paused')
  redis.call('ZREM', KEYS[2], redis.call('HGET', KEYS[1], 'id'))
  return 'ok'
end
if status ~= 'paused' then return status end
local resumed = redis.call('HEXISTS', KEYS[1], 'started_at') == 1 and 'running' or 'scheduled'
redis.call('HSET', KEYS[1], 'status', resumed)
local id = redis.call('HGET', KEYS[1], 'id')
redis.call('ZADD', KEYS[2], redis.call('HGET', KEYS[1], 'due_ms'), id)
return 'ok'
