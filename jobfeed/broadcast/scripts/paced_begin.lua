-- The common case at full speed in one round trip: a send slot that is due at once
-- (within ARGV[10] ms) and the task marked as being sent. An unused slot is given back.
-- KEYS: the pacer's two, then begin's six   ARGV: the pacer's four, begin's five, the limit
-- Needs the pacer's reserve() (jobfeed.broadcast.pacing), fn_terminal, fn_begin.
local slot = reserve(KEYS[1], KEYS[2], tonumber(ARGV[1]), tonumber(ARGV[2]),
  tonumber(ARGV[3]), tonumber(ARGV[4]))
slot[4] = ''
if slot[1] == 1 and tonumber(slot[2]) <= tonumber(ARGV[10]) then
  slot[4] = begin(KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8],
    ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9])
  if slot[4] ~= 'go' then redis.call('LREM', KEYS[2], 1, slot[3]) end
end
return slot
