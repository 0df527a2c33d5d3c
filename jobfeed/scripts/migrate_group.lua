-- Moving a group to its new id must be atomic and idempotent: the migration is
-- announced twice (a service message in the old chat, and a 400 on the next send).
-- KEYS: old group, new group, all groups, the old address's forwarding key
-- ARGV: old address, new address, new chat (within the channel), channel, now
local old, new = KEYS[1], KEYS[2]
if redis.call('EXISTS', old) == 1 then
  local fields = redis.call('HGETALL', old)
  for i = 1, #fields, 2 do
    if fields[i] ~= 'chat_id' and redis.call('HEXISTS', new, fields[i]) == 0 then
      redis.call('HSET', new, fields[i], fields[i + 1])
    end
  end
  redis.call('DEL', old)
end
redis.call('HSET', new, 'chat_id', ARGV[3], 'channel', ARGV[4], 'active', '1',
  'inactive_reason', '')
redis.call('HSET', new, 'updated_at', ARGV[5])
redis.call('SREM', KEYS[3], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[2])
redis.call('SET', KEYS[4], ARGV[2])
return 1
