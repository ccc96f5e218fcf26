# Sourced by the benchmark scripts. callgrind_total PROGRAM [ARG...]: the instructions of the
# whole run as callgrind counts them (exact and repeatable); the program's stdout is discarded.
callgrind_total() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

# callgrind_marked PROGRAM [ARG...]: only the instructions the program counts between its
# callgrind start/stop client requests (set-up and tear-down excluded).
callgrind_marked() {
  local out
  out=$(mktemp)
  valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file="$out" "$@" >/dev/null 2>&1
  awk '/^summary:/ {print $2}' "$out"
  rm -f "$out"
}
