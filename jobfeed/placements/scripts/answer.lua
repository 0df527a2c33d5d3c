-- KEYS: the placement, the reminders   ARGV: months, answer JSON, reminder member
-- The first answer to a check-in counts; returns 1 when recorded, 0 when answered already,
-- -1 when the placement is gone or its worker forgotten.
if redis.call('HEXISTS', KEYS[1], 'worker') == 0 then return -1 end
if redis.call('HSETNX', KEYS[1], 'answer:' .. ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('ZREM', KEYS[2], ARGV[3])
return 1
