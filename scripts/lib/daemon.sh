# Shell helpers for scripts and tests that run tinycontainerd in the background.

# wait_listening LOG: prints the UDP port once the daemon's "listening on" line is in LOG; fails
# (status 1) when it has not appeared after 10 s.
wait_listening() {
  local port=""
  for _ in $(seq 200); do
    port=$(sed -n 's/.*listening on udp:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$1")
    [ -n "$port" ] && { echo "$port"; return 0; }
    sleep 0.05
  done
  return 1
}

# stop_daemon_pid PID: SIGTERM, then wait; succeeds when the daemon exits 0.
stop_daemon_pid() {
  kill -TERM "$1" 2>/dev/null || return 0
  wait "$1"
}
