#!/usr/bin/env bash
# Runs the timing-sensitive suites N times each while a CPU hog keeps one core busy, and prints
# `<file>: N passed, M failed` per file. A suite that is red by chance shows up here long before it
# blocks a landing. Usage: scripts/flake-hunt.sh [-n RUNS] [test files…] (default 5 runs of the
# fault/resilience suites). Failed runs keep their output in $FLAKE_LOG_DIR (default a temp dir).
set -uo pipefail
cd "$(dirname "$0")/.."

runs=5
if [ "${1:-}" = "-n" ]; then runs=$2; shift 2; fi
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  files=(
    backend/test/faults/redis-restart.test.ts
    backend/test/faults/shutdown.test.ts
    backend/src/ome/admission-outage.test.ts
    backend/src/ome/reconcile.test.ts
    backend/src/streams/sse.test.ts
    backend/src/webhooks/webhooks.test.ts
    vod-uploader/test/resilience.test.ts
    vod-uploader/test/faults.test.ts
    vod-uploader/test/pipeline.test.ts
  )
fi
logs=${FLAKE_LOG_DIR:-$(mktemp -d -t flake-hunt-XXXXXX)}
mkdir -p "$logs"

project_of() {
  case "$1" in
    backend/*) echo backend ;;
    vod-uploader/*) echo vod-uploader ;;
    frontend/*) echo frontend ;;
    *) echo deploy ;;
  esac
}

# The hog: one busy process, like a CI machine that is also installing packages.
node -e 'for (;;) {}' &
hog=$!
trap 'kill $hog 2>/dev/null' EXIT

declare -A passed failed
for ((i = 1; i <= runs; i++)); do
  for f in "${files[@]}"; do
    log="$logs/$(echo "$f" | tr '/' '_').run$i.log"
    if npx vitest run --project "$(project_of "$f")" "$f" >"$log" 2>&1; then
      passed[$f]=$((${passed[$f]:-0} + 1))
      rm -f "$log"
    else
      failed[$f]=$((${failed[$f]:-0} + 1))
      echo "run $i: $f FAILED (log: $log)" >&2
    fi
  done
done

total_failed=0
for f in "${files[@]}"; do
  echo "$f: ${passed[$f]:-0} passed, ${failed[$f]:-0} failed"
  total_failed=$((total_failed + ${failed[$f]:-0}))
done
[ "$total_failed" -eq 0 ]
