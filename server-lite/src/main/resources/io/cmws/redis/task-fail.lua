local p, id, now = ARGV[1], ARGV[2], tonumber(ARGV[6])
local t = p .. ':t:' .. id
local refusal = current(t, ARGV[3])
if refusal then return info(t, refusal) end
redis.call('HSET', t, 'error', ARGV[4])
if ARGV[8] and ARGV[8] ~= '' then redis.call('HSET', t, 'workerId', ARGV[8]) end
local req = cjson.decode(redis.call('HGET', t, 'req'))
if ARGV[5] ~= '1' or tonumber(ARGV[3]) >= req.maxRetries then
  finish(p, t, id, 'failed', now)
  return info(t, 'FAILED')
end
local due = string.format('%.0f', now + tonumber(ARGV[7]))
redis.call('HSET', t, 'state', 'pending', 'retryAfter', due)
redis.call('HDEL', t, 'leaseUntil')
redis.call('ZREM', p .. ':leases', id)
redis.call('ZADD', p .. ':delayed', due, id)
redis.call('INCR', p .. ':waiting')
return info(t, 'RETRYING')
