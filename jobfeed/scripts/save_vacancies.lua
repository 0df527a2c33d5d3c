-- KEYS: vacancies, vacancies' cities, active listing, expiry listing, version, opened stream
-- ARGV: city-set prefix, changes channel, mode ("save" or "index"), then per vacancy
-- id, JSON, listed (1/0), posted score, expiry score ("" for none), city.
local created = {}
for i = 4, #ARGV, 6 do
  local id, listed, city = ARGV[i], ARGV[i + 2], ARGV[i + 5]
  if ARGV[3] == 'save' then
    created[#created + 1] = redis.call('HSET', KEYS[1], id, ARGV[i + 1])
  end
  local old = redis.call('HGET', KEYS[2], id)
  if old and old ~= city then redis.call('ZREM', ARGV[1] .. old, id) end
  redis.call('HSET', KEYS[2], id, city)
  if listed == '1' then
    redis.call('ZADD', KEYS[3], ARGV[i + 3], id)
    redis.call('ZADD', ARGV[1] .. city, ARGV[i + 3], id)
  else
    redis.call('ZREM', KEYS[3], id)
    redis.call('ZREM', ARGV[1] .. city, id)
  end
  if listed == '1' and ARGV[i + 4] ~= '' then
    redis.call('ZADD', KEYS[4], ARGV[i + 4], id)
  else
    redis.call('ZREM', KEYS[4], id)
  end
end
if ARGV[3] == 'save' then
  redis.call('INCR', KEYS[5])
  for i = 4, #ARGV, 6 do
    redis.call('PUBLISH', ARGV[2], ARGV[i])
    -- A listed vacancy saved may open or now fit someone: the alert matcher looks.
    if ARGV[i + 2] == '1' then
      redis.call('XADD', KEYS[6], 'MAXLEN', '~', '200000', '*', 'id', ARGV[i])
    end
  end
end
return created
