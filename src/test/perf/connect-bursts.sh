#!/usr/bin/env bash
# B bursts of N held connects (connect + auth, raw clients) against one hub pinned to CPU 0, after
# 200 warm-up connects, as idle-conns.sh does: hub CPU per connect and the rate of each burst. The
# first burst is what idle-conns.sh measures; the later ones show the JIT-compiled connect path.
#   PERF_TOOLS=shared/tools/perf CMWS=cmws [N=5000] [B=3] connect-bursts.sh
CMWS=${CMWS:-cmws}; N=${N:-5000}; B=${B:-3}; HERE=${PERF_TOOLS:?the folder of shared/tools/perf}
port=$((28000 + RANDOM % 1000))
taskset -c 0 $CMWS serve --port $port --admin-port -1 --ephemeral --heartbeat-interval 1h --heartbeat-timeout 2h >${TMPDIR:-/tmp}/bu-hub.out 2>&1 &
hp=$!; for i in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
jp=$(pgrep -P $hp java || echo $hp)
taskset -c 1 node $HERE/subs.mjs --url=ws://127.0.0.1:$port/ws --clients=200 --no-subscribe --mode=raw --max-s=30 --idle-ms=500 >/dev/null 2>&1
for b in $(seq $B); do
  sleep 2
  rm -f ${TMPDIR:-/tmp}/bu-hold; mkfifo ${TMPDIR:-/tmp}/bu-hold; (sleep 600 > ${TMPDIR:-/tmp}/bu-hold) & holder=$!
  c0=$(sed "s/.*) //" /proc/$jp/stat | awk '{print $12+$13}')
  taskset -c 1 node $HERE/subs.mjs --url=ws://127.0.0.1:$port/ws --clients=$N --no-subscribe --hold --mode=raw --max-s=60 <${TMPDIR:-/tmp}/bu-hold >${TMPDIR:-/tmp}/bu-subs.json 2>${TMPDIR:-/tmp}/bu-subs.err & sp=$!
  for i in $(seq 600); do grep -q READY ${TMPDIR:-/tmp}/bu-subs.err && break; sleep 0.05; done
  c1=$(sed "s/.*) //" /proc/$jp/stat | awk '{print $12+$13}')
  cs=$(grep -o '"connect_s":[0-9.]*' ${TMPDIR:-/tmp}/bu-subs.err | cut -d: -f2)
  echo "burst $b: $(python3 -c "print(round($N/$cs), '/s,', round(($c1-$c0)*1e4/$N), 'us CPU per connect')")"
  kill $holder; wait $sp 2>/dev/null
done
kill $hp; wait $hp 2>/dev/null
