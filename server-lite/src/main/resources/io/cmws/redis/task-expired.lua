local p, now = ARGV[1], tonumber(ARGV[2])
local out = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', p .. ':leases', '-inf', now, 'LIMIT', 0, 200)) do
  local t = p .. ':t:' .. id
  local state = redis.call('HGET', t, 'state')
  local lease = tonumber(redis.call('HGET', t, 'leaseUntil') or '0')
  if state ~= 'assigned' then
    redis.call('ZREM', p .. ':leases', id)
  elseif lease <= now then
    table.insert(out, id)
    table.insert(out, redis.call('HGET', t, 'attempt'))
    table.insert(out, redis.call('HGET', t, 'workerId') or '')
  else
    redis.call('ZADD', p .. ':leases', string.format('%.0f', lease), id)
  end
end
return out
