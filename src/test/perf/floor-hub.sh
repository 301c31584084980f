#!/usr/bin/env bash
# Stands in for `cmws serve` under shared/tools/perf/side-by-side.sh (CMWS=this script): a hub that
# does next to nothing, to measure what the tool and the transport cost on their own.
#   FLOOR=node (floor-hub.mjs, Node's ws; WS_HOME names its node_modules)
#   FLOOR=jws  (FloorHub.java, plain Java-WebSocket 1.6.0 from the installed cmws.jar: CMWS_JAR)
# Every argument but --port is ignored.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
port=
while [ $# -gt 0 ]; do [ "$1" = --port ] && port=$2; shift; done
case "${FLOOR:-node}" in
  node) exec node "$HERE/floor-hub.mjs" "$port" ;;
  jws) exec java -XX:MaxNewSize=24m -cp "${CMWS_JAR:?the installed cmws.jar}" "$HERE/FloorHub.java" "$port" ;;
  *) echo "FLOOR is node or jws" >&2; exit 2 ;;
esac
