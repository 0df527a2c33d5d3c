-- KEYS: the application, its history   ARGV: status, updated at, the change (JSON)
-- Returns 'missing', 'same' (a replayed press: nothing written) or 'ok'.
local current = redis.call('HGET', KEYS[1], 'status')
if not current then return 'missing' end
if current == ARGV[1] then return 'same' end
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'updated_at', ARGV[2])
redis.call('RPUSH', KEYS[2], ARGV[3])
return 'ok'
