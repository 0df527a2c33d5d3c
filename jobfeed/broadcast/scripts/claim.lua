-- KEYS: meta, queue, state, held, address   ARGV: worker, n, bid, now
local status = redis.call('HGET', KEYS[1], 'status')
if status == 'scheduled' then
  redis.call('HSET', KEYS[1], 'status', 'running', 'started_at', ARGV[4])
elseif status ~= 'running' then
  return {}
end
local out = {}
for _ = 1, tonumber(ARGV[2]) do
  local chat = redis.call('LPOP', KEYS[2])
  if not chat then break end
  if redis.call('HGET', KEYS[3], chat) == 'q' then
    redis.call('HSET', KEYS[3], chat, 'h|' .. ARGV[1])
    redis.call('SADD', KEYS[4], ARGV[3] .. '|' .. chat)
    out[#out + 1] = chat
    out[#out + 1] = redis.call('HGET', KEYS[5], chat) or ''
  end
end
return out
