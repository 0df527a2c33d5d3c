-- KEYS: the worker's placements
-- ARGV: placement key with '@' for the number, personal key, ID number key
-- Deletes the personal part of every placement of the worker; returns their numbers.
local numbers = redis.call('SMEMBERS', KEYS[1])
for _, n in ipairs(numbers) do
  redis.call('DEL', (string.gsub(ARGV[2], '@', n)), (string.gsub(ARGV[3], '@', n)))
  redis.call('HDEL', (string.gsub(ARGV[1], '@', n)), 'worker')
end
redis.call('DEL', KEYS[1])
return numbers
