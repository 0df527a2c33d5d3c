-- KEYS: meta, state, held, due, queue, address, unknown
-- ARGV: worker, chat, bid, kind, value, now
-- Needs fn_terminal.
local chat, bid, kind, value = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local st = redis.call('HGET', KEYS[2], chat)
if kind == 'release' then
  if st ~= 'h|' .. ARGV[1] and st ~= 's|' .. ARGV[1] then return 'lost' end
  redis.call('HSET', KEYS[2], chat, 'q')
  redis.call('LPUSH', KEYS[5], chat)
  redis.call('SREM', KEYS[3], bid .. '|' .. chat)
  return 'released'
end
if st == 'h|' .. ARGV[1] and (kind == 'retry' or kind == 'resend' or kind == 'migrated') then
  return 'retry'  -- a repeated call: the first one was applied
end
if st ~= 's|' .. ARGV[1] then return 'lost' end
local function settle(v, counter)
  terminal(KEYS[1], KEYS[2], KEYS[3], KEYS[4], bid, chat, v, counter, ARGV[6])
end
if kind == 'delivered' then
  settle('d|' .. value, 'delivered')
elseif kind == 'failed' then
  settle('f|' .. value, 'failed:' .. value)
elseif kind == 'skipped' then
  settle('k|' .. value, 'skipped:' .. value)
elseif kind == 'unknown' then
  redis.call('HINCRBY', KEYS[1], 'unknown', 1)
  redis.call('SADD', KEYS[7], chat)
  settle('f|unknown_outcome', 'failed:unknown_outcome')
elseif kind == 'migrated' then
  if redis.call('HEXISTS', KEYS[2], value) == 1 then
    settle('k|merged', 'skipped:merged')
    return 'merged'
  end
  redis.call('HSET', KEYS[6], chat, value .. '|')
  redis.call('HSET', KEYS[2], chat, 'h|' .. ARGV[1])
  return 'retry'
else
  if kind == 'resend' then
    redis.call('HINCRBY', KEYS[1], 'unknown', 1)
    redis.call('HINCRBY', KEYS[1], 'resent', 1)
  end
  redis.call('HSET', KEYS[2], chat, 'h|' .. ARGV[1])
  return 'retry'
end
return 'ok'
