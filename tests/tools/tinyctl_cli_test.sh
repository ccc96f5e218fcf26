#!/usr/bin/env bash
# tinyctl's contract as a command-line program: help, version, and exit code 2 on bad usage.
set -u
tinyctl=$1
failures=0

expect() {  # expect NAME EXPECTED_EXIT PATTERN -- ARGS...
  local name=$1 want=$2 pattern=$3
  shift 4
  local out rc
  out=$("$tinyctl" "$@" 2>&1)
  rc=$?
  if [ "$rc" -ne "$want" ]; then
    echo "FAIL $name: exit $rc, want $want; output:"; echo "$out"; failures=$((failures + 1)); return
  fi
  if ! grep -qE -- "$pattern" <<<"$out"; then
    echo "FAIL $name: output lacks /$pattern/:"; echo "$out"; failures=$((failures + 1)); return
  fi
  echo "ok   $name"
}

expect help-lists-commands 0 'deploy' -- --help
expect help-lists-run 0 'run .*Execute' -- --help
expect version 0 '^tinyctl [0-9]+\.[0-9]+\.[0-9]+$' -- --version
expect no-command 2 "a command is required" --
expect unknown-command 2 "unknown command 'nosuch'" -- nosuch
expect suggestion 2 "did you mean 'deploy'" -- deplyo
expect bad-flag 2 'not expected|--frobnicate' -- --frobnicate
expect subcommand-help 0 'Install or update an image' -- deploy --help
expect help-exit-codes 0 '3 no answer from the device' -- --help

# Device commands: usage errors are found before anything is sent (exit 2).
unset TINYCTL_DEVICE TINYCTL_KEY
for command in start stop suspend resume rm; do
  expect "$command-missing-key" 2 "missing --key FILE \(or TINYCTL_KEY\)" -- "$command" acme.sampler
  expect "$command-missing-uid" 2 'uid is required' -- "$command"
  expect "$command-bad-uid" 2 "not a container uid: '-bad'" -- "$command" -- -bad
done
expect config-missing-key 2 'missing --key' -- config acme.sampler --revoke led0
expect config-bad-uid 2 "not a container uid: 'a/b'" -- config a/b
expect logs-bad-uid 2 "not a container uid: 'x y'" -- logs 'x y'
expect deploy-missing-image 2 'image is required' -- deploy
expect deploy-start-missing-key 2 'missing --key' -- deploy --start "$0"
expect deploy-not-an-image 2 'not a TinyContainer image' -- deploy "$0"
expect trace-missing-output 2 'output is required' -- trace
expect top-bad-count 2 'count' -- top --count 0
expect config-bad-priority 2 'priority' -- config acme.sampler --priority high
expect device-serial 2 'serial: transport not supported yet' -- --device serial:/dev/ttyACM0 ps
expect device-tcp 2 'tcp: transport not supported yet' -- --device tcp://127.0.0.1:5683 ps
expect device-bad-port 2 'port must be a number 1..65535' -- --device udp://127.0.0.1:99999 ps
expect device-no-scheme 2 "unknown scheme" -- --device 127.0.0.1:5683 ps
export TINYCTL_DEVICE=tcp://x:1
expect device-env 2 'tcp: transport not supported yet' -- ps
unset TINYCTL_DEVICE
expect ack-timeout-bad 2 'ack-timeout' -- --ack-timeout soon ps
# Nothing listens on the discard port of loopback: no answer, exit 3.
expect no-answer 3 'no answer from udp://127.0.0.1:9 after 2 tries' -- \
  --device udp://127.0.0.1:9 --ack-timeout 5ms --retries 1 ps

[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
