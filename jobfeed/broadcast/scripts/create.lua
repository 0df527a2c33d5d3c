-- Write a whole plan at once: either every task exists or none.
-- KEYS: meta, state, queue, address, broadcasts, due, and optionally the idempotency key
-- ARGV: id, the meta hash's key template ('@' stands for an id), created ms, due ms
-- ('' when there is nothing to send), n (the number of meta fields and values), m (the
-- number of chats), then the n meta fields and values, the m chats, and chat/address
-- pairs up to the end.
-- Returns the id of the broadcast: another one when the key names a broadcast already.
local id = ARGV[1]
if KEYS[7] then
  local existing = redis.call('GET', KEYS[7])
  if existing and redis.call('EXISTS', (ARGV[2]:gsub('@', existing))) == 1 then
    return existing
  end
  redis.call('SET', KEYS[7], id)
end
local n, m = tonumber(ARGV[5]), tonumber(ARGV[6])
local first = 7
redis.call('HSET', KEYS[1], unpack(ARGV, first, first + n - 1))
local chats = first + n
for start = chats, chats + m - 1, 1000 do
  local stop = math.min(start + 999, chats + m - 1)
  for i = start, stop do redis.call('HSET', KEYS[2], ARGV[i], 'q') end
  redis.call('RPUSH', KEYS[3], unpack(ARGV, start, stop))
end
for i = chats + m, #ARGV, 2 do
  redis.call('HSET', KEYS[4], ARGV[i], ARGV[i + 1])
end
redis.call('ZADD', KEYS[5], ARGV[3], id)
if ARGV[4] ~= '' then redis.call('ZADD', KEYS[6], ARGV[4], id) end
return id
