-- A hash keyed by chat id (a broadcast's states or addresses), re-keyed by address; with
-- ARGV[2] == '1' the values "<chat id>|<message id>" too.
-- KEYS: the hash   ARGV: channel, rewrite values ('1' or '0')   Needs fn_v1.
local fields = redis.call('HGETALL', KEYS[1])
local moved = 0
for i = 1, #fields, 2 do
  local field, value = fields[i], fields[i + 1]
  if ARGV[2] == '1' then
    local bar = value:find('|', 1, true)
    if bar then
      local where = as_address(ARGV[1], value:sub(1, bar - 1))
      if where then value = where .. value:sub(bar) end
    end
  end
  local address = as_address(ARGV[1], field)
  if address then
    redis.call('HDEL', KEYS[1], field)
    redis.call('HSET', KEYS[1], address, value)
    moved = moved + 1
  elseif value ~= fields[i + 1] then
    redis.call('HSET', KEYS[1], field, value)
  end
end
return moved
