// The least a hub can do for the external load generator (shared/tools/perf): greet, accept auth,
// subscribe, fan a publish out as one pre-built frame, acknowledge. Its latency is the floor of
// the tool on the machine: what the clients and the kernel cost with next to no hub. Needs `ws`.
import { createRequire } from 'node:module';
const { WebSocketServer } = createRequire((process.env.WS_HOME || process.cwd()) + '/package.json')('ws');
const port = Number(process.argv[2]);
const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false });
const subs = new Set(); let seq = 0;
wss.on('connection', (ws) => {
  ws.send('{"type":"connection:pending","clientId":"p"}');
  ws.on('message', (b) => {
    const m = JSON.parse(b.toString());
    if (m.type === 'auth') ws.send('{"type":"auth:success","clientId":"c"}');
    else if (m.type === 'subscribe') { subs.add(ws); ws.send(JSON.stringify({ type: 'subscribed', channels: m.channels })); }
    else if (m.type === 'publish') {
      const frame = JSON.stringify({ type: 'event', channel: m.channel, data: m.data, seq: ++seq });
      for (const s of subs) s.send(frame);
      ws.send('{"type":"published","seq":' + seq + '}');
    }
  });
  ws.on('close', () => subs.delete(ws));
});
