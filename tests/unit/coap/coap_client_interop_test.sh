#!/usr/bin/env bash
# Debian's libcoap coap-client against tc_coap: discovery, a plain GET and a block-wise GET.
set -euo pipefail
server="$1"
client="${2:-}"
if [ -z "$client" ] || [ ! -x "$client" ]; then
  echo "SKIP: coap-client (libcoap3-bin) not installed"
  exit 0
fi

out=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$out"' EXIT
"$server" >"$out/port" 2>"$out/server.err" &
pid=$!
for _ in $(seq 50); do grep -q PORT "$out/port" && break; sleep 0.1; done
port=$(awk '/PORT/ {print $2}' "$out/port")
[ -n "$port" ] || { echo "FAIL: server did not report its port"; exit 1; }
base="coap://127.0.0.1:$port"

fail() { echo "FAIL: $*"; cat "$out/server.err"; exit 1; }

discovery=$("$client" -B 5 -m get "$base/.well-known/core")
echo "discovery: $discovery"
[ "$discovery" = '</status>;rt="tc.status";ct=0,</large>;ct=0,</upload>' ] || fail "unexpected link format"

status=$("$client" -B 5 -m get "$base/status")
echo "status: $status"
[ "$status" = "state=running containers=0" ] || fail "unexpected /status"

expected=$(for c in {A..Z}; do printf '%s\n' "$(printf "%29s" "" | tr ' ' "$c")"; done)
large=$("$client" -B 5 -b 64 -m get "$base/large")
[ "$large" = "$expected" ] || fail "block-wise /large differs (${#large} bytes)"
echo "block-wise GET of 780 bytes in 64-byte blocks: ok"

/usr/bin/python3 -c 'import sys; sys.stdout.buffer.write(bytes((i * 7) % 256 for i in range(1000)))' >"$out/upload.bin"
"$client" -B 5 -b 64 -m put -f "$out/upload.bin" "$base/upload" >/dev/null
stored=$("$client" -B 5 -m get "$base/upload")
want=$(/usr/bin/python3 -c 'print("bytes=1000 sum=%d" % sum((i * 7) % 256 for i in range(1000)))')
echo "upload: $stored"
[ "$stored" = "$want" ] || fail "block-wise PUT stored '$stored', expected '$want'"

missing=$("$client" -B 5 -m get "$base/missing" 2>&1 || true)
echo "missing: $missing"
echo "$missing" | grep -q "4.04" || fail "no 4.04 for an unknown resource"
echo "PASS"
