#!/usr/bin/env bash
# One operating point of side-by-side.sh RUNS times against the same hub (pinned to CPU 0): the
# first runs are the JIT at work, the later ones the steady state.
#   PERF_TOOLS=shared/tools/perf WS_HOME=/tmp/wsdeps CMWS=cmws [K=100] [RATE=500] [DUR=10] [RUNS=4] steady-state.sh
CMWS=${CMWS:-cmws}; K=${K:-100}; RATE=${RATE:-500}; DUR=${DUR:-10}; RUNS=${RUNS:-4}; HERE=${PERF_TOOLS:?the folder of shared/tools/perf}
export WS_HOME=${WS_HOME:?a folder with node_modules/ws}
port=$((27000 + RANDOM % 1000)); URL=ws://127.0.0.1:$port/ws
taskset -c 0 $CMWS serve --port $port --admin-port -1 --ephemeral --heartbeat-interval 1h --heartbeat-timeout 2h --max-subscriptions 200000 >${TMPDIR:-/tmp}/st-hub.out 2>&1 &
hp=$!; for i in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
jp=$(pgrep -P $hp java || echo $hp)
for r in $(seq $RUNS); do
  taskset -c 1 node $HERE/subs.mjs --url=$URL --clients=$K --pattern='bench:*' --mode=raw --idle-ms=2000 --max-s=$((DUR+60)) >${TMPDIR:-/tmp}/st-sub.out 2>${TMPDIR:-/tmp}/st-sub.err & sp=$!
  for i in $(seq 600); do grep -q READY ${TMPDIR:-/tmp}/st-sub.err && break; sleep 0.1; done; sleep 1
  c0=$(sed "s/.*) //" /proc/$jp/stat | awk '{print $12+$13}')
  taskset -c 1 node $HERE/pub.mjs --url=$URL --rate=$RATE --dur-s=$DUR >/dev/null 2>&1
  c1=$(sed "s/.*) //" /proc/$jp/stat | awk '{print $12+$13}')
  wait $sp
  python3 - $((c1-c0)) ${TMPDIR:-/tmp}/st-sub.out <<'PY'
import json,sys
d=json.loads(open(sys.argv[2]).read().strip().splitlines()[-1]); n=d['received']
print(f"run: cpu {int(sys.argv[1])*1e4/n:.2f} us/delivery  p50 {d['p50_ms']} p99 {d['p99_ms']} max {d['max_ms']}")
PY
done
kill $hp; wait $hp 2>/dev/null
