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
expect subcommand-help 0 'Install an image' -- deploy --help

[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
