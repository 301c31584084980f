local p, now = ARGV[1], tonumber(ARGV[2])
local moved = 0
for _, id in ipairs(redis.call('ZRANGEBYSCORE', p .. ':delayed', '-inf', now, 'LIMIT', 0, 1000)) do
  local t = p .. ':t:' .. id
  redis.call('ZREM', p .. ':delayed', id)
  if redis.call('HGET', t, 'state') == 'pending' and redis.call('HEXISTS', t, 'retryAfter') == 1 then
    redis.call('HDEL', t, 'retryAfter')
    enqueue(p, t, id)
    moved = moved + 1
  end
end
return moved
