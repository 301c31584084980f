local function current(t, attempt)
  if redis.call('EXISTS', t) == 0 then return 'UNKNOWN' end
  local state = redis.call('HGET', t, 'state')
  if state == 'completed' or state == 'failed' or state == 'cancelled' then return 'FINISHED' end
  if state ~= 'assigned' or redis.call('HGET', t, 'attempt') ~= attempt then return 'STALE' end
  return nil
end
local function info(t, kind)
  return {kind, redis.call('HGET', t, 'type') or '', redis.call('HGET', t, 'workerId') or '',
    redis.call('HGET', t, 'attempt') or '0', redis.call('HGET', t, 'error') or ''}
end
local function finish(p, t, id, state, now)
  redis.call('HSET', t, 'state', state, 'completedAt', now)
  redis.call('HDEL', t, 'retryAfter', 'leaseUntil')
  redis.call('ZREM', p .. ':leases', id)
  local dedup = redis.call('HGET', t, 'dedup')
  if dedup and dedup ~= '' and redis.call('GET', p .. ':dedup:' .. dedup) == id then
    redis.call('DEL', p .. ':dedup:' .. dedup)
  end
  redis.call('ZADD', p .. ':finished', now, id)
end
local function enqueue(p, t, id)
  local rank = redis.call('HGET', t, 'rank')
  for cap in string.gmatch(redis.call('HGET', t, 'caps'), '%S+') do
    redis.call('ZADD', p .. ':q:' .. cap, rank, id)
  end
end
local function unqueue(p, t, id)
  for cap in string.gmatch(redis.call('HGET', t, 'caps'), '%S+') do
    redis.call('ZREM', p .. ':q:' .. cap, id)
  end
end
