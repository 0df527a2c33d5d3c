-- KEYS: meta, state, held, due, queue, group   ARGV: worker, chat, bid, action, now
-- Needs fn_terminal, fn_begin.
return begin(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6],
  ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5])
