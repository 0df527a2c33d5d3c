-- The reply to the request sent in slot ARGV[1] came back: it arrived by now.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local bound = tonumber(redis.call('ZSCORE', KEYS[1], ARGV[1]) or '0')
if now < bound then
  redis.call('ZADD', KEYS[1], string.format('%.3f', now), ARGV[1])
end
return 1
