-- Re-own the entries of receivers whose heartbeat is gone; returns {id, raw, ...}.
-- The heartbeat keys are named from their prefix inside the script (single node).
local found = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', ARGV[2])
local adopted = {}
for _, entry in ipairs(found) do
  local fields = entry[2]
  local owner, raw = fields[2], fields[4]
  if owner ~= ARGV[1] and redis.call('EXISTS', KEYS[2] .. owner) == 0 then
    redis.call('XDEL', KEYS[1], entry[1])
    local id = redis.call('XADD', KEYS[1], '*', 'o', ARGV[1], 'u', raw)
    table.insert(adopted, id)
    table.insert(adopted, raw)
  end
end
return adopted
