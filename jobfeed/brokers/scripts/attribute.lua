-- First touch: a person becomes a broker's once, and is in that broker's list at once.
-- KEYS: the person -> code hash, the broker's people (sorted set)
-- ARGV: person, code, when (Unix seconds)
-- Returns the code the person belongs to now (theirs already, or this one).
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current then return current end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return ARGV[2]
