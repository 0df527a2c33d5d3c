-- The common case at full speed in one round trip: a send slot that is due at once
-- (within ARGV[13] ms) and the task marked as being sent. An unused slot is given back.
-- KEYS: the pacer's three, then begin's six   ARGV: the pacer's seven, begin's five, the limit
-- Needs fn_reserve (the pacer's reserve()), fn_terminal, fn_begin.
local slot = reserve(KEYS[1], KEYS[2], KEYS[3], tonumber(ARGV[1]), tonumber(ARGV[2]),
  tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]),
  tonumber(ARGV[7]))
slot[4] = ''
if slot[1] == 1 and tonumber(slot[2]) <= tonumber(ARGV[13]) then
  slot[4] = begin(KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9],
    ARGV[8], ARGV[9], ARGV[10], ARGV[11], ARGV[12])
  if slot[4] ~= 'go' then
    redis.call('LREM', KEYS[3], 1, slot[3])
    redis.call('ZREM', KEYS[2], slot[3])
  end
end
return slot
