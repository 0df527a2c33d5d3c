-- KEYS: workers, held, due   ARGV: worker, max_age_ms, policy, now, then the key templates
-- of a broadcast's hash, state, queue and unknown set ('@' stands for the id); then,
-- optionally, the held members to take over (a live worker's orphans) instead of all.
-- Held: back to the queue. Sending: an unknown outcome, resent or reported by policy.
-- Needs fn_terminal.
local t = redis.call('TIME')
local now_ms = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local w = ARGV[1]
local some = #ARGV > 8
local members
if some then
  members = {unpack(ARGV, 9)}
else
  local score = redis.call('ZSCORE', KEYS[1], w)
  if score and tonumber(score) >= now_ms - tonumber(ARGV[2]) then return {-1, 0} end
  members = redis.call('SMEMBERS', KEYS[2])
end
local function key(template, bid)
  local at = template:find('@', 1, true)
  return template:sub(1, at - 1) .. bid .. template:sub(at + 1)
end
local requeued, unknown = 0, 0
for _, member in ipairs(members) do
  redis.call('SREM', KEYS[2], member)
  local bar = member:find('|', 1, true)
  local bid, chat = member:sub(1, bar - 1), member:sub(bar + 1)
  local meta, state = key(ARGV[5], bid), key(ARGV[6], bid)
  local queue, unknown_set = key(ARGV[7], bid), key(ARGV[8], bid)
  local st = redis.call('HGET', state, chat)
  local cancelled = redis.call('HGET', meta, 'status') == 'cancelled'
  if st == 'h|' .. w then
    requeued = requeued + 1
    if cancelled then
      terminal(meta, state, KEYS[2], KEYS[3], bid, chat, 'k|cancelled', 'skipped:cancelled',
        ARGV[4])
    else
      redis.call('HSET', state, chat, 'q')
      redis.call('LPUSH', queue, chat)
    end
  elseif st == 's|' .. w then
    unknown = unknown + 1
    redis.call('HINCRBY', meta, 'unknown', 1)
    if ARGV[3] == 'resend' and not cancelled then
      redis.call('HINCRBY', meta, 'resent', 1)
      redis.call('HSET', state, chat, 'q')
      redis.call('LPUSH', queue, chat)
    else
      redis.call('SADD', unknown_set, chat)
      terminal(meta, state, KEYS[2], KEYS[3], bid, chat, 'f|unknown_outcome',
        'failed:unknown_outcome', ARGV[4])
    end
  end
end
if not some then
  redis.call('DEL', KEYS[2])
  redis.call('ZREM', KEYS[1], w)
end
return {requeued, unknown}
