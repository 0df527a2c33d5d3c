-- KEYS: user key, group key. ARGV: user interval ms, group limit, group window ms, member.
-- Returns 1 when admitted (or admitted before, for the same message), else 0.
local held = redis.call('GET', KEYS[1])
if held == ARGV[4] then return 1 end
if held then return 0 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - tonumber(ARGV[3]))
if redis.call('ZSCORE', KEYS[2], ARGV[4]) then return 1 end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[2]) then return 0 end
if tonumber(ARGV[1]) > 0 then
  redis.call('SET', KEYS[1], ARGV[4], 'PX', ARGV[1])
end
redis.call('ZADD', KEYS[2], now, ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return 1
