#!/usr/bin/env bash
# Installs the Debian packages the test suite needs (real media and a real browser), when missing.
# Safe to run repeatedly; does nothing when everything is present.
set -euo pipefail

# command-to-check:debian-package
deps=(
  "ffmpeg:ffmpeg"
  "ffprobe:ffmpeg"
  "chromium:chromium"
  "redis-server:redis-server"  # backend/test/faults/redis-restart.test.ts runs a private Redis it can restart
)

missing=()
for dep in "${deps[@]}"; do
  cmd="${dep%%:*}"; pkg="${dep##*:}"
  command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

# de-duplicate
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
echo "ensure-system-deps: installing ${missing[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "ensure-system-deps: need root to install: ${missing[*]}" >&2; exit 1
  fi
else SUDO=""; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
