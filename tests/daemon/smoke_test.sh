#!/usr/bin/env bash
# tinycontainerd end to end with Debian's coap-client: usage errors, start on a free port,
# /.well-known/core, GET /status as JSON, SIGTERM and SIGINT end it with exit 0 and a summary.
# Usage: smoke_test.sh TINYCONTAINERD TINYCTL COAP_CLIENT WORKDIR
set -u
daemon=$1 tinyctl=$2 client=$3 work=$4
py=/usr/bin/python3
failures=0
pid=
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
ok() { echo "ok   $*"; }
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null' EXIT
if [ -z "$client" ] || [ ! -x "$client" ]; then echo "SKIP: coap-client (libcoap3-bin) not installed"; exit 0; fi

rm -rf "$work" && mkdir -p "$work/trust" "$work/empty" && cd "$work" || exit 1
"$tinyctl" keygen op --role operator >/dev/null && cp op.pub trust/ || exit 1

# start DAEMON-ARGS...: starts in the background, sets $pid and $port (empty port: it died).
start() {
  "$daemon" --state state --port 0 --board "" "$@" >out.txt 2>&1 &
  pid=$!
  port=
  for _ in $(seq 200); do
    port=$(sed -n 's|.*listening on udp://127.0.0.1:\([0-9]*\).*|\1|p' out.txt)
    [ -n "$port" ] && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.02
  done
  return 1
}

expect_exit() {  # expect_exit NAME CODE PATTERN -- ARGS...
  local name=$1 want=$2 pattern=$3
  shift 4
  local out rc
  out=$("$daemon" "$@" 2>&1)
  rc=$?
  if [ "$rc" -ne "$want" ] || ! grep -qE -- "$pattern" <<<"$out"; then
    fail "$name: exit $rc (want $want), output: $out"
  else
    ok "$name"
  fi
}

expect_exit help 0 'SIGINT/SIGTERM' -- --help
expect_exit trust-required 2 'trust' -- --port 0
expect_exit empty-trust 1 'no .pub files' -- --trust empty --state state --port 0
expect_exit bad-address 1 'not a numeric' -- --trust trust --state state --port 0 --bind localhost
TC_CRASH_AT_STEP=x "$daemon" --trust trust --state state --port 0 >hook.txt 2>&1
[ $? -eq 1 ] && grep -q 'TC_CRASH_AT_STEP must be a positive' hook.txt && ok bad-crash-hook-value \
  || fail "bad-crash-hook-value: $(cat hook.txt)"

start --trust trust || { fail "start: $(cat out.txt)"; exit 1; }
grep -q 'damaged: none' out.txt && ok "store opened: $(head -1 out.txt)" || fail "store line: $(cat out.txt)"
grep -q '(0 containers restored)' out.txt && ok "listening on $port" || fail "listening line: $(cat out.txt)"

second=$("$daemon" --trust trust --state state --port 0 2>&1)
[ $? -eq 1 ] && grep -q 'another tinycontainerd uses this state directory' <<<"$second" \
  && ok "state directory locked" || fail "second daemon on the same state: $second"

links=$("$client" -B 5 -m get "coap://127.0.0.1:$port/.well-known/core")
missing=
for r in status containers container stats install command config logs audit trace; do
  grep -q "</$r>" <<<"$links" || missing="$missing $r"
done
[ -z "$missing" ] && ok "/.well-known/core lists the resources" || fail "/.well-known/core lacks$missing: $links"

status=$("$client" -B 5 -m get -A 50 "coap://127.0.0.1:$port/status")
if "$py" -c 'import json, sys
s = json.loads(sys.argv[1])
assert s["name"] == "tinycontainerd" and s["containers"] == 0 and s["slots"] >= 1, s' "$status"; then
  ok "GET /status -A 50: $status"
else
  fail "GET /status: $status"
fi

kill -TERM "$pid"
wait "$pid"
rc=$?
pid=
[ "$rc" -eq 0 ] && grep -qE 'tinycontainerd stopped \(SIGTERM\): 0 containers, [0-9]+ datagrams served' out.txt \
  && ok "SIGTERM: exit 0, $(tail -1 out.txt)" || fail "SIGTERM: exit $rc: $(cat out.txt)"

start --trust trust --quiet || { fail "restart: $(cat out.txt)"; exit 1; }
kill -INT "$pid"
wait "$pid"
rc=$?
pid=
[ "$rc" -eq 0 ] && grep -q 'tinycontainerd stopped (SIGINT)' out.txt && ok "SIGINT: exit 0" \
  || fail "SIGINT: exit $rc: $(cat out.txt)"

[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "PASS"
