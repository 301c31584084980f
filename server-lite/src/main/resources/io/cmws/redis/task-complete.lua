local p, id, now = ARGV[1], ARGV[2], ARGV[5]
local t = p .. ':t:' .. id
local refusal = current(t, ARGV[3])
if refusal then return info(t, refusal) end
redis.call('HSET', t, 'result', ARGV[4])
redis.call('HDEL', t, 'error')
if ARGV[6] and ARGV[6] ~= '' then redis.call('HSET', t, 'workerId', ARGV[6]) end
finish(p, t, id, 'completed', now)
return info(t, 'COMPLETED')
