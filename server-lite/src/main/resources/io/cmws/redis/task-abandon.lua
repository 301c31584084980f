local p, id, now = ARGV[1], ARGV[2], ARGV[5]
local t = p .. ':t:' .. id
local refusal = current(t, ARGV[3])
if refusal then return info(t, refusal) end
redis.call('HSET', t, 'error', ARGV[4])
local req = cjson.decode(redis.call('HGET', t, 'req'))
if tonumber(ARGV[3]) >= req.maxRetries then
  finish(p, t, id, 'failed', now)
  return info(t, 'FAILED')
end
redis.call('HSET', t, 'state', 'pending')
redis.call('HDEL', t, 'leaseUntil')
redis.call('ZREM', p .. ':leases', id)
enqueue(p, t, id)
redis.call('INCR', p .. ':waiting')
return info(t, 'REQUEUED')
