local p = ARGV[1]
local best, bestRank = nil, nil
for i = 2, #ARGV do
  local head = redis.call('ZRANGE', p .. ':q:' .. ARGV[i], 0, 0, 'WITHSCORES')
  if head[1] and (not bestRank or tonumber(head[2]) < bestRank) then
    best, bestRank = head[1], tonumber(head[2])
  end
end
if not best then return nil end
return {best, redis.call('HGET', p .. ':t:' .. best, 'req')}
