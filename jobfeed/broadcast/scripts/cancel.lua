-- KEYS: meta, state, queue, due, held (always empty)   ARGV: bid, now
-- Needs fn_terminal.
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return 'missing' end
if status == 'done' or status == 'cancelled' then return status end
redis.call('HSET', KEYS[1], 'status', 'cancelled')
redis.call('ZREM', KEYS[4], ARGV[1])
local chat = redis.call('LPOP', KEYS[3])
while chat do
  if redis.call('HGET', KEYS[2], chat) == 'q' then
    terminal(KEYS[1], KEYS[2], KEYS[5], KEYS[4], ARGV[1], chat, 'k|cancelled',
      'skipped:cancelled', ARGV[2])
  end
  chat = redis.call('LPOP', KEYS[3])
end
if tonumber(redis.call('HGET', KEYS[1], 'remaining')) <= 0 then
  redis.call('HSETNX', KEYS[1], 'finished_at', ARGV[2])
end
return 'ok'
