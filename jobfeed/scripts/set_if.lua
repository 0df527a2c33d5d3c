-- Compare and set one hash field: write the new value only if the field still holds
-- what the caller read (it decided in Python; on 0 it reads and decides again).
-- KEYS: hash   ARGV: field, the value read ('' when absent), the new value
-- Returns 1 when written, 0 when the field changed meanwhile.
local current = redis.call('HGET', KEYS[1], ARGV[1]) or ''
if current ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
