-- Delete an applicant's résumé and the personal part of each of their applications.
-- KEYS: the résumé, the applicant's applications, their vacancy index
-- ARGV: the key templates of an application and of its personal part ('@': the number)
-- Returns the numbers of the applications scrubbed.
local numbers = redis.call('ZRANGE', KEYS[2], 0, -1)
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
for _, number in ipairs(numbers) do
  redis.call('DEL', (ARGV[2]:gsub('@', number)))
  redis.call('HSET', (ARGV[1]:gsub('@', number)), 'applicant', '')
end
return numbers
