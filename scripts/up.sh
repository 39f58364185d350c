#!/usr/bin/env bash
# `npm run up`: the one command that runs Zinda on a fresh Debian machine with Node 20. Installs what is missing
# (redis-server from Debian when no Redis answers and none is on PATH; the npm packages when node_modules does not
# match the lockfile), then starts the all-in-one service on the embedded database (`npm start`). Installing happens
# here, before the start, because the service itself never fetches anything at run time.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf 'up: %s\n' "$*"; }

# shellcheck source=lib/redis-ping.sh
source scripts/lib/redis-ping.sh
redis_answers() { redis_ping 127.0.0.1 6379; }

if [[ -z ${REDIS_URL:-} ]] && ! redis_answers && ! command -v redis-server >/dev/null; then
  # npm start starts a private redis-server from PATH under ./var/redis; it only needs the binary.
  sudo=()
  if [[ $(id -u) != 0 ]]; then
    command -v sudo >/dev/null || { say "Redis is missing: run 'apt-get install -y redis-server' as root, then npm run up"; exit 1; }
    sudo=(sudo)
  fi
  say "installing redis-server (Debian package; npm start runs a private one under ./var/redis)"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends redis-server
fi

# npm ci when nothing is installed or the lockfile changed since (npm writes node_modules/.package-lock.json on install).
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund
fi

exec npm start
