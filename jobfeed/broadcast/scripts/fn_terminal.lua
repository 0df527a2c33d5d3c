-- terminal(): settle one group for good and close the broadcast when it was the last one.
-- ``chat`` is the group's address (channel:chat): its channel's counter moves too.
-- A shared function: loaded before the scripts that call it.
local function terminal(meta, state, held, due, bid, chat, value, counter, now)
  redis.call('HSET', state, chat, value)
  redis.call('SREM', held, bid .. '|' .. chat)
  redis.call('HINCRBY', meta, counter, 1)
  local channel = chat:match('^([^:]+):')
  if channel then
    redis.call('HINCRBY', meta, 'ch:' .. channel .. ':' .. counter:match('^[^:]+'), 1)
  end
  if redis.call('HINCRBY', meta, 'remaining', -1) <= 0 then
    if redis.call('HGET', meta, 'status') ~= 'cancelled' then
      redis.call('HSET', meta, 'status', 'done')
    end
    redis.call('HSET', meta, 'finished_at', now)
    redis.call('ZREM', due, bid)
  end
end
