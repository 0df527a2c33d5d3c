-- Delete availabilities: those of one person (/forget, a delete button), or those whose
-- retention ended. KEYS: availabilities, stopped set, expiry, changes stream
-- ARGV: person-set key template ('@': the person), stream length, then ids
-- Returns how many were deleted.
local deleted = 0
for i = 3, #ARGV do
  local id = ARGV[i]
  local raw = redis.call('HGET', KEYS[1], id)
  if raw then
    local person = cjson.decode(raw)['person']
    redis.call('SREM', (ARGV[1]:gsub('@', string.format('%d', person))), id)
    redis.call('HDEL', KEYS[1], id)
    deleted = deleted + 1
  end
  redis.call('SREM', KEYS[2], id)
  redis.call('ZREM', KEYS[3], id)
  redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[2], '*', 'id', id)
end
return deleted
