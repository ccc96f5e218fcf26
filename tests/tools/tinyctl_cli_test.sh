#!/usr/bin/env bash
# tinyctl's contract as a command-line program: help, version, and exit code 2 on bad usage.
set -u
source "$(dirname "$0")/../lib/expect.sh"
tinyctl=$1

expect help-lists-commands 0 'deploy' -- "$tinyctl" --help
expect help-lists-run 0 'run .*Execute' -- "$tinyctl" --help
expect version 0 '^tinyctl [0-9]+\.[0-9]+\.[0-9]+$' -- "$tinyctl" --version
expect no-command 2 "a command is required" -- "$tinyctl"
expect unknown-command 2 "unknown command 'nosuch'" -- "$tinyctl" nosuch
expect suggestion 2 "did you mean 'deploy'" -- "$tinyctl" deplyo
expect bad-flag 2 'not expected|--frobnicate' -- "$tinyctl" --frobnicate
expect subcommand-help 0 'Install or update an image' -- "$tinyctl" deploy --help
expect help-exit-codes 0 '3 no answer from the device' -- "$tinyctl" --help

# Device commands: usage errors are found before anything is sent (exit 2).
unset TINYCTL_DEVICE TINYCTL_KEY
for command in start stop suspend resume rm; do
  expect "$command-missing-key" 2 "missing --key FILE \(or TINYCTL_KEY\)" -- "$tinyctl" "$command" acme.sampler
  expect "$command-missing-uid" 2 'uid is required' -- "$tinyctl" "$command"
  expect "$command-bad-uid" 2 "not a container uid: '-bad'" -- "$tinyctl" "$command" -- -bad
done
expect config-missing-key 2 'missing --key' -- "$tinyctl" config acme.sampler --revoke led0
expect config-bad-uid 2 "not a container uid: 'a/b'" -- "$tinyctl" config a/b
expect logs-bad-uid 2 "not a container uid: 'x y'" -- "$tinyctl" logs 'x y'
expect deploy-missing-image 2 'image is required' -- "$tinyctl" deploy
expect deploy-start-missing-key 2 'missing --key' -- "$tinyctl" deploy --start "$0"
expect deploy-not-an-image 2 'not a TinyContainer image' -- "$tinyctl" deploy "$0"
expect trace-missing-output 2 'output is required' -- "$tinyctl" trace
expect top-bad-count 2 'count' -- "$tinyctl" top --count 0
expect config-bad-priority 2 'priority' -- "$tinyctl" config acme.sampler --priority high
expect device-serial 2 'serial: transport not supported yet' -- "$tinyctl" --device serial:/dev/ttyACM0 ps
expect device-tcp 2 'tcp: transport not supported yet' -- "$tinyctl" --device tcp://127.0.0.1:5683 ps
expect device-bad-port 2 'port must be a number 1..65535' -- "$tinyctl" --device udp://127.0.0.1:99999 ps
expect device-no-scheme 2 "unknown scheme" -- "$tinyctl" --device 127.0.0.1:5683 ps
export TINYCTL_DEVICE=tcp://x:1
expect device-env 2 'tcp: transport not supported yet' -- "$tinyctl" ps
unset TINYCTL_DEVICE
expect ack-timeout-bad 2 'ack-timeout' -- "$tinyctl" --ack-timeout soon ps
# Nothing listens on the discard port of loopback: no answer, exit 3.
expect no-answer 3 'no answer from udp://127.0.0.1:9 after 2 tries' -- "$tinyctl" \
  --device udp://127.0.0.1:9 --ack-timeout 5ms --retries 1 ps

finish
