-- File an application once per (applicant, vacancy), with its résumé, in one step.
-- KEYS: the applicant's vacancy index, the application, its personal part, the résumé,
--       then the listings to add it to (all, by vacancy, by applicant[, by recruiter])
-- ARGV: vacancy id, number, a dangling number to file over ('' for none), ttl seconds,
--       record JSON, applicant, status, updated at, personal JSON, résumé JSON, score
-- Returns the number of the application filed for the pair: another one when a
-- concurrent call filed it first.
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current and current ~= ARGV[3] then return current end
redis.call('HSET', KEYS[2], 'record', ARGV[5], 'applicant', ARGV[6], 'status', ARGV[7],
  'updated_at', ARGV[8])
redis.call('SET', KEYS[3], ARGV[9], 'EX', ARGV[4])
redis.call('SET', KEYS[4], ARGV[10], 'EX', ARGV[4])
for i = 5, #KEYS do redis.call('ZADD', KEYS[i], ARGV[11], ARGV[2]) end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return ARGV[2]
