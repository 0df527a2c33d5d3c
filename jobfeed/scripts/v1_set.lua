-- A set of chat ids (ARGV[2] == '') or of "<broadcast id>|<chat id>" (ARGV[2] == '|'),
-- as addresses.   KEYS: the set   ARGV: channel, separator   Needs fn_v1.
local moved = 0
for _, member in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local head, chat = '', member
  if ARGV[2] ~= '' then
    local bar = member:find(ARGV[2], 1, true)
    if bar then head, chat = member:sub(1, bar), member:sub(bar + 1) end
  end
  local address = as_address(ARGV[1], chat)
  if address then
    redis.call('SREM', KEYS[1], member)
    redis.call('SADD', KEYS[1], head .. address)
    moved = moved + 1
  end
end
return moved
