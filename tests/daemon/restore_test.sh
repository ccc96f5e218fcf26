#!/usr/bin/env bash
# Deploy with Debian's coap-client (Block1 upload of a signed image, a signed start command),
# then restart tinycontainerd: the containers are restored, the started one runs again and its
# key-value counter continues where it was (persistent kv); a stopped one stays stopped.
# Usage: restore_test.sh TINYCONTAINERD TINYCTL COAP_CLIENT TICKER_WASM MANIFEST COSE_TOOL WORKDIR
set -u
daemon=$1 tinyctl=$2 client=$3 wasm=$4 manifest=$5 cose=$6 work=$7
py=/usr/bin/python3
failures=0
pid=
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
ok() { echo "ok   $*"; }
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null' EXIT
if [ -z "$client" ] || [ ! -x "$client" ]; then echo "SKIP: coap-client (libcoap3-bin) not installed"; exit 0; fi

rm -rf "$work" && mkdir -p "$work/trust" && cd "$work" || exit 1
"$tinyctl" keygen op --role operator >/dev/null && cp op.pub trust/ || exit 1
sed 's/"uid": "ticker"/"uid": "parked"/' "$manifest" >parked.json
"$tinyctl" build "$manifest" --code "$wasm" --key op.key -o ticker.tc >/dev/null || exit 1
"$tinyctl" build parked.json --code "$wasm" --key op.key -o parked.tc >/dev/null || exit 1

start() {
  "$daemon" --state state --trust trust --port 0 --board "" >out.txt 2>&1 &
  pid=$!
  port=
  for _ in $(seq 200); do
    port=$(sed -n 's|.*listening on udp://127.0.0.1:\([0-9]*\).*|\1|p' out.txt)
    [ -n "$port" ] && return 0
    sleep 0.02
  done
  return 1
}
stop() {
  kill -TERM "$pid"
  wait "$pid"
  local rc=$?
  pid=
  [ "$rc" -eq 0 ] || fail "daemon exit $rc: $(cat out.txt)"
}
coap() { "$client" -B 5 "$@"; }
# command UID ACTION: a signed command with the next sequence number.
command() {
  local seq
  seq=$("$py" -c 'import json, sys; print(json.loads(sys.argv[1])["seq"] + 1)' \
    "$(coap -m get -A 50 "coap://127.0.0.1:$port/status")")
  "$py" "$cose" sign-command cmd.cose op.key "$1" "$2" "$seq" || return 1
  coap -m post -t 60 -A 50 -f cmd.cose "coap://127.0.0.1:$port/command"
}
state_of() {  # state_of UID (a body mixing two moments across Block2 blocks is fetched again)
  local state
  for _ in 1 2 3 4 5; do
    state=$("$py" -c 'import json, sys
try:
    cs = json.loads(sys.argv[1])["containers"]
except ValueError:
    sys.exit(1)
print({c["uid"]: c["state"] for c in cs}.get(sys.argv[2], "absent"))' \
      "$(coap -m get -A 50 "coap://127.0.0.1:$port/containers")" "$1") && break
  done
  echo "$state"
}
last_tick() { sed -n 's/.*ticker: tick 0*\([0-9][0-9]*\)$/\1/p' out.txt | tail -1; }
wait_tick() {  # wait_tick N: until a tick numbered >= N is printed
  for _ in $(seq 150); do
    [ "$(last_tick)" ] && [ "$(last_tick)" -ge "$1" ] && return 0
    sleep 0.02
  done
  return 1
}

start || { echo "FAIL start: $(cat out.txt)"; exit 1; }
installed=$(coap -m post -b 256 -t 42 -A 50 -f ticker.tc "coap://127.0.0.1:$port/install")
grep -q '"uid":"ticker","version":1,"replaced":false' <<<"$installed" \
  && ok "coap-client -b 256 -t 42 uploads the image: $installed" || fail "install: $installed"
coap -m post -b 256 -t 42 -A 50 -f parked.tc "coap://127.0.0.1:$port/install" >/dev/null
started=$(command ticker 0)
grep -q '"state":"ready"' <<<"$started" && ok "signed start: $started" || fail "start: $started"
wait_tick 3 && ok "ticker runs (tick $(last_tick))" || fail "no ticks: $(cat out.txt)"
stop

start || { echo "FAIL restart: $(cat out.txt)"; exit 1; }
grep -q '(2 containers restored)' out.txt && ok "restart: $(grep listening out.txt)" \
  || fail "restore line: $(cat out.txt)"
first=$(sed -n 's/.*ticker: tick 0*\([0-9][0-9]*\)$/\1/p' out.txt | head -1)
wait_tick 4 && ok "ticker runs again and its kv counter continued (tick $(last_tick))" \
  || fail "no ticks after restart: $(cat out.txt)"
[ -z "$first" ] || [ "$first" -ge 4 ] || fail "the counter restarted at $first"
parked=$(state_of parked)
[ "$parked" = installed ] && ok "the never-started container stays installed" || fail "parked: $parked"
stopped=$(command ticker 1)
grep -q '"state":"stop' <<<"$stopped" && ok "signed stop: $stopped" || fail "stop: $stopped"
stop

start || { echo "FAIL third start: $(cat out.txt)"; exit 1; }
ticker=$(state_of ticker)
[ "$ticker" = installed ] && ok "a stopped container is not started again" || fail "ticker: $ticker"
stop

[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "PASS"
