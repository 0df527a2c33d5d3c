-- KEYS: tat, sent, the chat's log   ARGV: reserve()'s seven numbers. Needs fn_reserve.
return reserve(KEYS[1], KEYS[2], KEYS[3], tonumber(ARGV[1]), tonumber(ARGV[2]),
  tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7]))
