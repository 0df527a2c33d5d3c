-- A group's hash and its member of the set of groups, from its chat id to its address.
-- KEYS: the old hash, the new hash, the set of groups   ARGV: channel, chat id
-- Needs fn_v1.
local address = as_address(ARGV[1], ARGV[2])
if not address then return 0 end
if redis.call('EXISTS', KEYS[1]) == 1 then
  if redis.call('EXISTS', KEYS[2]) == 0 then
    redis.call('RENAME', KEYS[1], KEYS[2])
  else
    redis.call('DEL', KEYS[1])  -- written under its address already: that one holds
  end
end
if redis.call('EXISTS', KEYS[2]) == 1 then
  redis.call('HSETNX', KEYS[2], 'channel', ARGV[1])
end
if redis.call('SREM', KEYS[3], ARGV[2]) == 1 or redis.call('EXISTS', KEYS[2]) == 1 then
  redis.call('SADD', KEYS[3], address)
end
return 1
