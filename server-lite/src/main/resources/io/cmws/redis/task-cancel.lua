local p, id, now = ARGV[1], ARGV[2], ARGV[4]
local t = p .. ':t:' .. id
if redis.call('EXISTS', t) == 0 then return {'UNKNOWN', '', '', '0', ''} end
local state = redis.call('HGET', t, 'state')
if state == 'completed' or state == 'failed' or state == 'cancelled' then return info(t, 'FINISHED') end
if state == 'pending' then
  if redis.call('HEXISTS', t, 'retryAfter') == 1 then
    redis.call('ZREM', p .. ':delayed', id)
  else
    unqueue(p, t, id)
  end
  redis.call('DECR', p .. ':waiting')
  redis.call('HDEL', t, 'workerId')
end
redis.call('HSET', t, 'error', ARGV[3])
finish(p, t, id, 'cancelled', now)
return info(t, 'CANCELLED')
