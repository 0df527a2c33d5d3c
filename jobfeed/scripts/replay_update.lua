-- KEYS: stream, dead set, dead records; ARGV: update id, owner. Returns {entry id, raw}.
local record = redis.call('HGET', KEYS[3], ARGV[1])
if not record then return false end
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
local raw = cjson.decode(record)['raw']
local id = redis.call('XADD', KEYS[1], '*', 'o', ARGV[2], 'u', raw)
return {id, raw}
