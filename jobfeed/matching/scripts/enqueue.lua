-- Queue one vacancy's alert for each person it fits, unless they were alerted of it
-- already (an edit alerts nobody twice) or applied to it.
-- KEYS: the queue
-- ARGV: vacancy id, due (Unix seconds), sent-set TTL (seconds), sent-set key template,
-- applications key template ('@': the person), then the persons
local queued = 0
for i = 6, #ARGV do
  local person = ARGV[i]
  local sent = ARGV[4]:gsub('@', person)
  local applied = ARGV[5]:gsub('@', person)
  if redis.call('HEXISTS', applied, ARGV[1]) == 0 and redis.call('SADD', sent, ARGV[1]) == 1 then
    redis.call('EXPIRE', sent, ARGV[3])
    redis.call('ZADD', KEYS[1], 'NX', ARGV[2], 'a:' .. person .. ':' .. ARGV[1])
    queued = queued + 1
  end
end
return queued
