-- KEYS: newcomers list, due zset, last hash. ARGV: group, now (s), interval (s), people (JSON)...
-- Queues the newcomers; the group's welcome is due now, or one interval after the last one.
for i = 4, #ARGV do redis.call('RPUSH', KEYS[1], ARGV[i]) end
redis.call('LTRIM', KEYS[1], -50, -1)
local due = tonumber(ARGV[2])
local last = redis.call('HGET', KEYS[3], ARGV[1])
if last then
  local at = tonumber(cjson.decode(last)['at'])
  if at and at + tonumber(ARGV[3]) > due then due = at + tonumber(ARGV[3]) end
end
redis.call('ZADD', KEYS[2], 'NX', due, ARGV[1])
return tostring(due)
