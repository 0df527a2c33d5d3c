-- A broadcast made before addresses went to one channel: its counters are that channel's.
-- KEYS: the broadcast's hash   ARGV: channel
local prefix = 'ch:' .. ARGV[1] .. ':'
if redis.call('HEXISTS', KEYS[1], prefix .. 'targeted') == 1 then return 0 end
local fields = redis.call('HGETALL', KEYS[1])
if #fields == 0 then return 0 end
local sums = {targeted = 0, delivered = 0, failed = 0, skipped = 0}
for i = 1, #fields, 2 do
  local kind = fields[i]:match('^([^:]+)')
  if sums[kind] and (kind ~= fields[i] or kind == 'targeted' or kind == 'delivered') then
    sums[kind] = sums[kind] + tonumber(fields[i + 1])
  end
end
for kind, n in pairs(sums) do redis.call('HSET', KEYS[1], prefix .. kind, n) end
return 1
