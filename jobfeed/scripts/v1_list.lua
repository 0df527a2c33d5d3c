-- A broadcast's queue of chat ids, in the same order, as addresses.
-- KEYS: the list   ARGV: channel   Needs fn_v1.
local items = redis.call('LRANGE', KEYS[1], 0, -1)
local changed = false
for i, item in ipairs(items) do
  local address = as_address(ARGV[1], item)
  if address then items[i] = address; changed = true end
end
if not changed then return 0 end
redis.call('DEL', KEYS[1])
for start = 1, #items, 1000 do
  redis.call('RPUSH', KEYS[1], unpack(items, start, math.min(start + 999, #items)))
end
return 1
