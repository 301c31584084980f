local p, id = ARGV[1], ARGV[2]
local t = p .. ':t:' .. id
local refusal = current(t, ARGV[3])
if refusal then return info(t, refusal) end
local result = info(t, 'DECLINED')
redis.call('HINCRBY', t, 'attempt', -1)
redis.call('HSET', t, 'state', 'pending')
redis.call('HDEL', t, 'leaseUntil', 'workerId', 'assignedAt')
redis.call('ZREM', p .. ':leases', id)
enqueue(p, t, id)
redis.call('INCR', p .. ':waiting')
return result
