-- Several updates in one call; the seen markers are named from their prefix inside the
-- script (fine on a single Redis node). Returns each update's entry id, or false.
local out = {}
for i = 3, #ARGV - 1, 2 do
  if redis.call('SET', KEYS[2] .. ARGV[i], '1', 'NX', 'EX', ARGV[1]) then
    table.insert(out, redis.call('XADD', KEYS[1], '*', 'o', ARGV[2], 'u', ARGV[i + 1]))
  else
    table.insert(out, false)
  end
end
return out
