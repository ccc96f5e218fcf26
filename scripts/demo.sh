#!/usr/bin/env bash
# The demo (`make demo`): a native device (tinycontainerd) on loopback runs the example containers
# while the operator changes them at run time with tinyctl. Needs the host-release build.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/daemon.sh

demo=build/demo
keys=$demo/keys
images=$demo/images
state=$demo/state
daemon_log=$demo/tinycontainerd.log
trace=$demo/trace.json
tinyctl=build/bin/tinyctl
daemon_pid=""

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
note() { printf '   %s\n' "$*"; }
stop_daemon() {
  [ -n "$daemon_pid" ] && { stop_daemon_pid "$daemon_pid" || true; }
  daemon_pid=""
}
trap stop_daemon EXIT

# A counter of one container from `tinyctl ps --json` (0 when absent).
counter() { ctl ps --json | jq -r --arg uid "$1" --arg field "$2" \
  '[.containers[] | select(.uid == $uid) | .[$field] // 0][0] // 0'; }
# Debian's CoAP client reads the board state (GET /devices, JSON with Accept: 50).
coap_client=$(command -v coap-client coap-client-notls coap-client-gnutls | head -n 1)
led0_toggles() { "$coap_client" -m get -A 50 "coap://127.0.0.1:$port/devices" | jq -r '.leds[0].toggles'; }

say "1. Dev keys and the example containers, signed (examples/, scripts/sign-examples.sh)"
rm -rf "$demo" && mkdir -p "$demo"
scripts/sign-examples.sh "$keys" "$images" | sed 's/^/   /'
note "tenant key acme.key signs the acme.* images; operator.key signs commands and config updates"

say "2. Start the native device: tinycontainerd on loopback (log: $daemon_log)"
build/bin/tinycontainerd --state "$state" --trust "$keys/trust" --port 0 \
  --board examples/boards/native.json >"$daemon_log" 2>&1 &
daemon_pid=$!
port=$(wait_listening "$daemon_log") ||
  { cat "$daemon_log"; echo "demo: tinycontainerd did not start" >&2; exit 1; }
export TINYCTL_DEVICE=udp://127.0.0.1:$port TINYCTL_KEY=$keys/operator.key
ctl() { "$tinyctl" "$@"; }
grep -E '^(board|tinycontainerd)' "$daemon_log" | sed 's/^/   /'

say "3. Deploy and start the examples: tinyctl deploy IMAGE --start"
for name in sampler producer consumer kv_counter hello hello_wasi rogue bpf_counter; do
  ctl deploy "$images/$name.tc" --start 2>&1 | grep -v '^uploading' | sed 's/^/   /'
done
sleep 2
note "an unmodified wasm32-wasi printf program ran as a container (its stdout is its log):"
ctl logs acme.hello_wasi | head -n 3 | sed 's/^/   /'
ctl top --count 1 | sed 's/^/   /'

say "4a. Change the sampler's period (100ms -> 50ms) and priority (6 -> 7) while it runs"
before=$(counter acme.sampler activations)
sleep 1
rate_before=$(($(counter acme.sampler activations) - before))
ctl config acme.sampler --period 50ms --priority 7 | sed 's/^/   /'
before=$(counter acme.sampler activations)
sleep 1
rate_after=$(($(counter acme.sampler activations) - before))
note "sampler activations per second: $rate_before before, $rate_after after (no restart)"

say "4b. Revoke the sampler's LED permission: its writes are now denied and audited"
denials=$(counter acme.sampler denials)
ctl config acme.sampler --revoke led0 | sed 's/^/   /'
toggles=$(led0_toggles)
sleep 1
note "led0 toggles (GET /devices via coap-client): $toggles at the revoke, $(led0_toggles) one second later"
note "sampler denials: $denials before, $(counter acme.sampler denials) after"
ctl logs acme.sampler | tail -n 3 | sed 's/^/   /'

say "4c. The rogue: endless loop and bad calls; throttled every period, then stopped"
note "rogue state $(ctl ps --json | jq -r '.containers[] | select(.uid=="acme.rogue") | .state'),"\
" overruns $(counter acme.rogue overruns), denials $(counter acme.rogue denials)"
ctl config acme.rogue --on-overrun stop | sed 's/^/   /'
for _ in $(seq 40); do
  [ "$(ctl ps --json | jq -r '.containers[] | select(.uid=="acme.rogue") | .state')" = stopped ] && break
  sleep 0.1
done
ctl top --count 1 | sed 's/^/   /'

say "5. Summary"
ctl ps --json | jq -r '["UID","CPU(us)","RUNS","MISSES","OVERRUNS","DENIALS","STATE"],
  (.containers[] | [.uid, .cpu_us, .activations, .misses, .overruns, .denials, .state]) | @tsv' |
  column -t | sed 's/^/   /'
ctl trace -o "$trace" | sed 's/^/   /'

say "6. Stop the device (SIGTERM)"
stop_daemon
tail -n 1 "$daemon_log" | sed 's/^/   /'
say "Demo finished. Trace: $trace (open in https://ui.perfetto.dev); device log: $daemon_log"
