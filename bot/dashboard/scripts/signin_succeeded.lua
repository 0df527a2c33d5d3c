-- KEYS: address counter[, account counter].
if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then
  redis.call('DECR', KEYS[1])
end
if KEYS[2] then
  redis.call('DEL', KEYS[2])
end
return 0
