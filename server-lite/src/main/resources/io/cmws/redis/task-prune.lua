local p, cutoff = ARGV[1], ARGV[2]
local ids = redis.call('ZRANGEBYSCORE', p .. ':finished', '-inf', cutoff, 'LIMIT', 0, 5000)
for _, id in ipairs(ids) do
  redis.call('DEL', p .. ':t:' .. id)
  redis.call('ZREM', p .. ':tasks', id)
  redis.call('ZREM', p .. ':finished', id)
end
return #ids
