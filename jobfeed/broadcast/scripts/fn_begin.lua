-- begin(): mark a held task as being sent, unless the broadcast was paused or cancelled
-- meanwhile, the group left, or another worker took the task over. Needs fn_terminal.
local function begin(meta, state, held, due, queue, group, worker, chat, bid, action, now)
  local st = redis.call('HGET', state, chat)
  -- A repeated call (the reply to the first was lost on the way back): we may send.
  if st == 's|' .. worker then return 'go' end
  if st ~= 'h|' .. worker then return 'lost' end
  local status = redis.call('HGET', meta, 'status')
  if status == 'paused' then
    redis.call('HSET', state, chat, 'q')
    redis.call('LPUSH', queue, chat)
    redis.call('SREM', held, bid .. '|' .. chat)
    return 'paused'
  end
  if status == 'cancelled' then
    terminal(meta, state, held, due, bid, chat, 'k|cancelled', 'skipped:cancelled', now)
    return 'cancelled'
  end
  if action == 'send' and redis.call('HGET', group, 'active') == '0' then
    terminal(meta, state, held, due, bid, chat, 'k|inactive', 'skipped:inactive', now)
    return 'inactive'
  end
  redis.call('HSET', state, chat, 's|' .. worker)
  return 'go'
end
