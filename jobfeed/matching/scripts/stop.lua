-- Stop every alert of one person at once (their availabilities stay, alerts off).
-- KEYS: the person's set, stopped set, changes stream; ARGV: stream length
local ids = redis.call('SMEMBERS', KEYS[1])
for _, id in ipairs(ids) do
  if redis.call('SADD', KEYS[2], id) == 1 then
    redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[1], '*', 'id', id)
  end
end
return #ids
