-- A migrated group's forwarding key: old chat id -> new chat id, to the same by address.
-- KEYS: the old key, the new key   ARGV: channel   Needs fn_v1.
local value = redis.call('GET', KEYS[1])
if not value then return 0 end
redis.call('SET', KEYS[2], as_address(ARGV[1], value) or value)
redis.call('DEL', KEYS[1])
return 1
