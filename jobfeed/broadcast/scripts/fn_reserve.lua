-- Returns {granted, wait_ms, slot}: granted=1 -> send in wait_ms; 0 -> ask again then.
-- Floats travel as strings: Redis truncates Lua numbers to integers. A function, so that
-- the broadcast tasks can reserve and mark a task as being sent in one script.
-- sent: slot -> the latest it can have arrived (ms); span, cap: the overall window and how
-- many it holds; in_flight: how long after its slot an unreported request may arrive.
local function reserve(tat_key, sent, log, interval, window, limit, horizon, span, cap,
    in_flight)
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
  local base = math.max(tonumber(redis.call('GET', tat_key) or '0'), now)
  local slot = base
  redis.call('ZREMRANGEBYSCORE', sent, '-inf', string.format('%.3f', now - span))
  local edge = string.format('(%.3f', slot - span)
  local n = redis.call('ZCOUNT', sent, edge, '+inf')
  if n >= cap then
    local blocker = redis.call('ZRANGEBYSCORE', sent, edge, '+inf', 'WITHSCORES',
      'LIMIT', n - cap, 1)
    local arrived = tonumber(blocker[2])
    if arrived > now then  -- still in flight: its reply will tell when it arrived
      return {0, string.format('%.3f', interval), ''}
    end
    slot = math.max(slot, arrived + span)
  end
  if slot - now > horizon then
    return {0, string.format('%.3f', slot - now - horizon), ''}
  end
  local head = redis.call('LINDEX', log, 0)
  while head and tonumber(head) <= slot - window do
    redis.call('LPOP', log)
    head = redis.call('LINDEX', log, 0)
  end
  local count = redis.call('LLEN', log)
  if count >= limit then
    local oldest = tonumber(redis.call('LINDEX', log, count - limit))
    return {0, string.format('%.3f', oldest + window - now), ''}
  end
  local at = string.format('%.3f', slot)
  while redis.call('ZSCORE', sent, at) do  -- one member per slot, however close
    slot = slot + 0.001
    at = string.format('%.3f', slot)
  end
  redis.call('RPUSH', log, at)
  redis.call('PEXPIRE', log, math.ceil(slot - now + window) + 1000)
  redis.call('ZADD', sent, string.format('%.3f', slot + in_flight), at)
  redis.call('PEXPIRE', sent, math.ceil(slot - now + in_flight + span) + 1000)
  -- The schedule moves on from its own time, not from a slot the window put later: a
  -- late reply delays one slot, not every slot after it.
  redis.call('SET', tat_key, string.format('%.3f', base + interval), 'PX',
    math.ceil(base - now + interval) + 60000)
  return {1, string.format('%.3f', slot - now), at}
end
