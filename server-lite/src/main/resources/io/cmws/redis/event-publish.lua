local epoch = redis.call('GET', KEYS[5])
if not epoch then return redis.error_reply('NOEPOCH the shared history epoch is missing') end
local seq = redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], seq .. '-1', 'd', ARGV[2], 't', ARGV[3])
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('PUBLISH', KEYS[4], epoch .. '\n' .. seq .. '\n' .. ARGV[3] .. '\n' .. ARGV[1] .. '\n' .. ARGV[2])
return seq
