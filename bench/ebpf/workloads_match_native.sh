#!/usr/bin/env bash
# The benchmark workloads give the same result under the eBPF interpreter as natively.
set -u
bench=$1
failures=0
for spec in "fib 0" "fib 1" "fib 93" "fib 5000" "crc32 0" "crc32 3" "sieve 2" "sieve 100" "sieve 8192" "sieve 9000"; do
  set -- $spec
  ebpf=$("$bench" "$1" ebpf "$2" | sed 's/ .*//')
  native=$("$bench" "$1" native "$2" | sed 's/ .*//')
  if [ -n "$ebpf" ] && [ "$ebpf" = "$native" ]; then
    echo "PASS $1 $2: $ebpf"
  else
    echo "FAIL $1 $2: ebpf '$ebpf' native '$native'"
    failures=$((failures + 1))
  fi
done
[ "$failures" -eq 0 ]
