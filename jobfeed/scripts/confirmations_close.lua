-- A broadcast leaves the open set once none of its mass-send tasks is unsettled; checked
-- and done in one step, so that a task opened meanwhile keeps the broadcast open.
-- KEYS[1]: the broadcast's hash (task:<sender> -> JSON), KEYS[2]: the open set; ARGV[1]: id.
local fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do
  if string.sub(fields[i], 1, 5) == 'task:' then
    local task = cjson.decode(fields[i + 1])
    if task['settled_at'] == nil or task['settled_at'] == cjson.null then
      return 0
    end
  end
end
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
