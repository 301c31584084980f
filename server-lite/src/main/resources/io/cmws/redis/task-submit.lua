local p, id = ARGV[1], ARGV[2]
local dedup = ARGV[7]
if dedup ~= '' then
  local existing = redis.call('GET', p .. ':dedup:' .. dedup)
  if existing then return {existing, 1} end
end
if tonumber(redis.call('GET', p .. ':waiting') or '0') >= tonumber(ARGV[9]) then
  return redis.error_reply('QUEUEFULL')
end
local seq = redis.call('INCR', p .. ':taskseq')
local rank = string.format('%.0f', tonumber(ARGV[6]) * 4294967296 + seq)
local t = p .. ':t:' .. id
redis.call('HSET', t, 'req', ARGV[3], 'type', ARGV[4], 'caps', ARGV[5], 'rank', rank, 'dedup', dedup,
  'seq', string.format('%.0f', seq), 'createdAt', ARGV[8], 'state', 'pending', 'attempt', '0')
for cap in string.gmatch(ARGV[5], '%S+') do redis.call('ZADD', p .. ':q:' .. cap, rank, id) end
redis.call('INCR', p .. ':waiting')
redis.call('ZADD', p .. ':tasks', seq, id)
if dedup ~= '' then redis.call('SET', p .. ':dedup:' .. dedup, id) end
return {id, 0}
