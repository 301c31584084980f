#!/usr/bin/env bash
# Black-box smoke test of an installed cmws: install.sh into a temporary prefix, start
# 'cmws serve --port 0', a subscribe/publish round trip, stop the hub with SIGTERM.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
tmp="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "smoke: FAILED: $*" >&2; for f in "$tmp"/*.out "$tmp"/*.err; do [ -f "$f" ] && { echo "--- $f" >&2; cat "$f" >&2; }; done; exit 1; }
wait_for() { # file pattern seconds
  local i
  for ((i = 0; i < $3 * 10; i++)); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  fail "no '$2' in $1 after $3 s"
}

CMWS_PREFIX="$tmp/prefix" "$root/install.sh"
cmws="$tmp/prefix/bin/cmws"
"$cmws" --version | grep -q '^cmws ' || fail "--version"
[ -f "$tmp/prefix/share/bash-completion/completions/cmws" ] || fail "completion not installed"
[ -s "$tmp/prefix/lib/cmws/cmws.jsa" ] || fail "no class-data-sharing archive"
CMWS_JAVA_OPTS=-Xshare:on "$cmws" --version >/dev/null || fail "the launcher cannot map its class-data-sharing archive"
CMWS_PREFIX="$tmp/prefix" "$root/install.sh" 2>/dev/null || fail "a second install.sh run (idempotent)"

XDG_DATA_HOME="$tmp/data" "$cmws" serve --port 0 --json >"$tmp/serve.out" 2>"$tmp/serve.err" &
serve_pid=$!; pids+=("$serve_pid")
wait_for "$tmp/serve.out" '"url"' 30
url="$(sed -n 's/.*"url":"\([^"]*\)".*/\1/p' "$tmp/serve.out")"
admin="$(sed -n 's/.*"adminUrl":"\([^"]*\)".*/\1/p' "$tmp/serve.out")"
echo "smoke: hub at $url (admin $admin)"

"$cmws" subscribe 'session:*' --json --count 2 --timeout 30s --url "$url" >"$tmp/sub.out" 2>"$tmp/sub.err" &
sub_pid=$!; pids+=("$sub_pid")
wait_for "$tmp/sub.err" 'subscribed to session:\*' 30

"$cmws" publish session:started '{"sessionId":"S1"}' --url "$url" 2>>"$tmp/pub.err" || fail "publish 1"
"$cmws" publish task:queued '{}' --url "$url" 2>>"$tmp/pub.err" || fail "publish 2"
printf '{"sessionId":"S1"}\n' | "$cmws" publish session:ended - --url "$url" 2>>"$tmp/pub.err" || fail "publish 3"

if ! wait "$sub_pid"; then fail "subscribe exited non-zero"; fi
[ "$(wc -l <"$tmp/sub.out")" -eq 2 ] || fail "expected 2 events"
sed -n 1p "$tmp/sub.out" | grep -q '"channel":"session:started"' || fail "first event"
sed -n 2p "$tmp/sub.out" | grep -q '"channel":"session:ended"' || fail "second event"
if command -v jq >/dev/null 2>&1; then
  [ "$(jq -r .data.sessionId "$tmp/sub.out" | sort -u)" = "S1" ] || fail "jq could not read the JSON Lines"
fi

if command -v curl >/dev/null 2>&1; then
  curl -fsS "$admin/health" | grep -q '"status":"ok"' || fail "/health"
  curl -fsS "$admin/metrics" | grep -q '^cmws_events_published_total 3' || fail "/metrics"
fi

set +e
"$cmws" publish 'bad:*' 1 --url "$url" 2>/dev/null; [ $? -eq 2 ] || fail "bad channel should exit 2"
set -e

kill -TERM "$serve_pid"
if ! wait "$serve_pid"; then fail "serve did not exit 0 on SIGTERM"; fi
[ -f "$tmp/data/cmws/hub.db" ] || fail "the default store was not created under XDG_DATA_HOME"
echo "smoke: passed"
