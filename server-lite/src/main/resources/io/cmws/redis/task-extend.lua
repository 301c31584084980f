local p, id, now = ARGV[1], ARGV[2], tonumber(ARGV[4])
local t = p .. ':t:' .. id
if current(t, ARGV[3]) then return 0 end
local req = cjson.decode(redis.call('HGET', t, 'req'))
local lease = math.max(tonumber(redis.call('HGET', t, 'leaseUntil') or '0'), now + req.timeoutMs)
redis.call('HSET', t, 'leaseUntil', string.format('%.0f', lease))
redis.call('ZADD', p .. ':leases', string.format('%.0f', lease), id)
return 1
