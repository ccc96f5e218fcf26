# Sourced by the benchmark scripts. callgrind_total PROGRAM [ARG...]: the instructions of the
# whole run as callgrind counts them (exact and repeatable); the program's stdout is discarded.
callgrind_total() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
