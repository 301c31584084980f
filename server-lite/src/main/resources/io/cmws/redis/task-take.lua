local p, id, worker, now = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local t = p .. ':t:' .. id
if redis.call('HGET', t, 'state') ~= 'pending' or redis.call('HEXISTS', t, 'retryAfter') == 1 then return nil end
unqueue(p, t, id)
redis.call('DECR', p .. ':waiting')
local attempt = redis.call('HINCRBY', t, 'attempt', 1)
local req = cjson.decode(redis.call('HGET', t, 'req'))
local lease = string.format('%.0f', now + req.timeoutMs)
redis.call('HSET', t, 'state', 'assigned', 'workerId', worker, 'assignedAt', ARGV[4], 'leaseUntil', lease)
redis.call('ZADD', p .. ':leases', lease, id)
return {attempt, redis.call('HGET', t, 'req')}
