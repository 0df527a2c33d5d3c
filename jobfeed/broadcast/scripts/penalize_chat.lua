-- One chat's window counts as full until ARGV[1] ms from now (a "too many" for that chat).
-- KEYS[1]: the chat's list of slot times (ascending); ARGV: pause ms, window ms, limit.
-- Pushes `limit` slots at (now + pause - window), never before the last one, so the list
-- stays in order and the oldest of the last `limit` slots frees the window at now + pause.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local pause, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local at = now + pause - window
local last = redis.call('LINDEX', KEYS[1], -1)
if last and tonumber(last) > at then
  at = tonumber(last)
end
local stamp = string.format('%.3f', at)
for _ = 1, limit do
  redis.call('RPUSH', KEYS[1], stamp)
end
redis.call('PEXPIRE', KEYS[1], math.ceil(at - now + window) + 1000)
return 1
