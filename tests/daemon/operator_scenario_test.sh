#!/usr/bin/env bash
# The demo's scenario with assertions (issue #7): tinycontainerd driven only through tinyctl (and
# coap-client for the board state), running the example containers. Checks that
#   - a period change takes effect at run time without a restart (activation rate follows),
#   - revoking the sampler's LED closes its handle, stops the LED and shows up as denials,
#   - the rogue is throttled, then stopped by a config update, while the others miss no deadline,
#   - replayed and unsigned changes are refused, and the trace exports as Chrome JSON,
#   - tinyctl stop returns when the container has stopped (a separate CoAP response).
# Usage: operator_scenario_test.sh TINYCONTAINERD TINYCTL COAP_CLIENT SOURCE_DIR EXAMPLES_DIR WORK
set -euo pipefail
daemon_bin=$1 tinyctl=$2 coap_client=$3 source=$4 examples=$5 work=$6
rm -rf "$work" && mkdir -p "$work"
source "$source/scripts/lib/daemon.sh"
fail() { echo "FAIL: $*" >&2; exit 1; }
daemon_pid=""
cleanup() { if [ -n "$daemon_pid" ]; then stop_daemon_pid "$daemon_pid" || true; fi; }
trap cleanup EXIT

"$source/scripts/sign-examples.sh" "$work/keys" "$work/images" "$examples" "$tinyctl" >/dev/null
"$daemon_bin" --state "$work/state" --trust "$work/keys/trust" --port 0 --quiet \
  --board "$source/examples/boards/native.json" >"$work/daemon.log" 2>&1 &
daemon_pid=$!
port=$(wait_listening "$work/daemon.log") || fail "daemon did not start: $(cat "$work/daemon.log")"
export TINYCTL_DEVICE=udp://127.0.0.1:$port TINYCTL_KEY=$work/keys/operator.key

field() { "$tinyctl" ps --json | jq -r --arg uid "$1" --arg f "$2" '.containers[] | select(.uid == $uid) | .[$f]'; }
led0() { "$coap_client" -m get -A 50 "coap://127.0.0.1:$port/devices" | jq -r '.leds[0].toggles'; }
wait_for() {  # wait_for UID FIELD VALUE
  for _ in $(seq 100); do [ "$(field "$1" "$2")" = "$3" ] && return 0; sleep 0.05; done
  fail "$1 $2 is $(field "$1" "$2"), want $3"
}

for name in sampler producer consumer hello rogue; do
  "$tinyctl" deploy "$work/images/$name.tc" --start >/dev/null
done
[ "$("$tinyctl" ps --json | jq '.containers | length')" = 5 ] || fail "5 containers expected"

# Unsigned and replayed changes are refused and change nothing.
"$tinyctl" stop acme.hello --key "$work/keys/acme.key" >/dev/null 2>&1 && fail "a tenant key stopped a container"
seq_before=$("$coap_client" -m get -A 50 "coap://127.0.0.1:$port/status" | jq .seq)
# examples/rogue/config-stop.json carries sequence 1: below the device's, so a replay.
"$tinyctl" sign-config "$source/examples/rogue/config-stop.json" --key "$work/keys/operator.key" \
  -o "$work/stale.cose" >/dev/null
"$coap_client" -m post -t 60 -A 50 -f "$work/stale.cose" "coap://127.0.0.1:$port/config" \
  >"$work/stale.out" 2>&1 || true
grep -q "4.01" "$work/stale.out" || fail "stale config update: $(cat "$work/stale.out")"
[ "$(field acme.rogue state)" != stopped ] || fail "a stale config update was applied"
echo "ok: unsigned command and stale (sequence $seq_before) config update refused"

# (a) Period 100 ms -> 50 ms while running: the activation rate doubles, no restart.
sleep 1
runs=$(field acme.sampler activations)
"$tinyctl" config acme.sampler --period 50ms --priority 7 >/dev/null
[ "$(field acme.sampler period_us)" = 50000 ] || fail "period not changed"
[ "$(field acme.sampler priority)" = 7 ] || fail "priority not changed"
sleep 1
rate=$(($(field acme.sampler activations) - runs))
[ "$rate" -ge 14 ] || fail "sampler ran $rate times in ~1 s after the period change, want about 20"
[ "$(field acme.sampler restarts)" = 0 ] || fail "the sampler was restarted"
echo "ok: period change took effect at run time ($rate activations in ~1 s)"

# (b) Revoke the LED: its handle is closed, the LED stops changing, denials are counted.
[ "$(led0)" -gt 0 ] || fail "the sampler never toggled LED 0"
"$tinyctl" config acme.sampler --revoke led0 | grep -q "1 open handle(s) closed" || fail "no handle closed"
before=$(led0)
sleep 0.5
[ "$(led0)" = "$before" ] || fail "LED 0 still toggles after the revoke"
[ "$(field acme.sampler denials)" -gt 0 ] || fail "no denials after the revoke"
[ "$(field acme.sampler state)" != stopped ] || fail "the sampler stopped after the revoke"
"$coap_client" -m get -A 50 "coap://127.0.0.1:$port/audit" | jq -e \
  '[.entries[] | select(.uid == "acme.sampler")] | length > 0' >/dev/null || fail "no audit entry"
echo "ok: LED revoked: LED 0 frozen at $before toggles, denials audited"

# (c) The rogue overruns its budget every period (throttled), then a config update stops it.
[ "$(field acme.rogue overruns)" -gt 0 ] || fail "the rogue never overran"
[ "$(field acme.rogue denials)" = 2 ] || fail "the rogue's two bad calls were not both denied"
"$tinyctl" config acme.rogue --on-overrun stop >/dev/null
wait_for acme.rogue state stopped
for uid in acme.sampler acme.producer acme.consumer acme.hello; do
  [ "$(field $uid misses)" = 0 ] || fail "$uid missed a deadline beside the rogue"
done
"$tinyctl" logs acme.consumer | grep -q "received" || fail "the consumer received nothing"
echo "ok: rogue throttled then stopped; the others missed no deadline"

# A stop waits for the container's tc_stop: the device answers separately (an empty ACK first)
# once the container has really stopped, so tinyctl reports the final state.
state=$("$tinyctl" stop acme.sampler --json | jq -r .state)
[ "$state" = stopped ] || fail "tinyctl stop answered state $state, want stopped"
[ "$(field acme.sampler state)" = stopped ] || fail "the sampler is not stopped after tinyctl stop"
echo "ok: tinyctl stop returned once the sampler had stopped"

"$tinyctl" trace -o "$work/trace.json" >/dev/null
jq -e '.traceEvents | length > 0' "$work/trace.json" >/dev/null || fail "empty trace"
stop_daemon_pid "$daemon_pid" || fail "daemon exit status $?"
daemon_pid=""
echo PASS
