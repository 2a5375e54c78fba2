#!/usr/bin/env bash
# Prepare a fresh machine (Node 20.19+ and npm) for Scopebound: pnpm, dependencies, Redis, Chromium.
# Safe to run again: every step checks first.
set -euo pipefail
cd "$(dirname "$0")/.."
PNPM_VERSION=$(node -p "require('./package.json').packageManager.split('@')[1]")

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  say "installing pnpm $PNPM_VERSION with npm"
  npm install -g "pnpm@$PNPM_VERSION" >/dev/null
fi

say "installing dependencies (frozen lockfile)"
pnpm install --frozen-lockfile --reporter=append-only | tail -n 3

# redis-server and redis-cli (>= 7: the Redis Cluster tests start their own 3+3 cluster with `redis-cli --cluster
# create` and use sharded pub/sub).
if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing Debian's redis-server and redis-tools"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server redis-tools) >/dev/null
  else
    echo "redis-server/redis-cli are missing: the Redis tests need them (sudo apt-get install redis-server redis-tools)." >&2
  fi
fi
if command -v redis-server >/dev/null && [ "$(redis-server --version | sed -E 's/.*v=([0-9]+).*/\1/')" -lt 7 ]; then
  echo "redis-server is older than 7: the Redis Cluster tests need sharded pub/sub (Redis 7+)." >&2
fi

redis_up() { (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; }
if ! redis_up; then
  if command -v redis-server >/dev/null; then
    say "starting redis-server on 127.0.0.1:6379"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
    for _ in $(seq 1 50); do redis_up && break; sleep 0.1; done
  else
    echo "Redis is not running on 127.0.0.1:6379 and redis-server is not installed (apt-get install redis-server)." >&2
  fi
fi

if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing Debian's chromium for the browser tests"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null
  else
    echo "Chromium is missing: the explorer's browser tests need /usr/bin/chromium (sudo apt-get install chromium)." >&2
  fi
fi
say "ready"
