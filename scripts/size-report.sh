#!/usr/bin/env bash
# size-report.sh SIZE_TOOL NAME=LIBRARY.a...  — .text/.data/.bss per device-side library.
set -euo pipefail
size_tool=$1
shift
printf '%-24s %9s %7s %7s\n' library .text .data .bss
for entry in "$@"; do
  name=${entry%%=*} lib=${entry#*=}
  read -r text data bss < <("$size_tool" -t "$lib" | awk 'END { print $1, $2, $3 }')
  printf '%-24s %9d %7d %7d\n' "$name" "$text" "$data" "$bss"
done
