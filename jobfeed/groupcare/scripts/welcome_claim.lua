-- KEYS: due zset, newcomers list, last hash. ARGV: group.
-- Takes a due group's newcomers, once: returns [previous welcome JSON or '', person...].
if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then return nil end
local people = redis.call('LRANGE', KEYS[2], 0, -1)
redis.call('DEL', KEYS[2])
local last = redis.call('HGET', KEYS[3], ARGV[1]) or ''
table.insert(people, 1, last)
return people
