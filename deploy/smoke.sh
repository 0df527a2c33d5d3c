#!/usr/bin/env bash
# Build the image and smoke-test it where a Docker daemon is available:
#   compose up (redis + web, polling the local Bot API simulator instead of Telegram),
#   wait for /readyz, send one simulated /start, wait for the bot's reply, compose down.
# Run from the repository root after `make venv`: bash deploy/smoke.sh
# Exit codes: 0 passed, 1 failed, 2 no Docker daemon here (nothing was tested).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! docker info >/dev/null 2>&1; then
  echo "no Docker daemon here: the image was not built or tested" >&2
  exit 2
fi

PORT=${SMOKE_SIM_PORT:-18081}
WORK=$(mktemp -d)
SIM_LOG="$WORK/sim.log"
PROJECT=zhaopin-smoke
cleanup() {
  docker compose -p "$PROJECT" -f deploy/compose.yaml down -v >/dev/null 2>&1 || true
  [[ -n "${SIM_PID:-}" ]] && kill "$SIM_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# The simulator listens on the host; containers reach it through the host gateway.
.venv/bin/python -m devkit telegram --host 0.0.0.0 --port "$PORT" >"$SIM_LOG" 2>&1 &
SIM_PID=$!
for _ in $(seq 50); do grep -q '^token: ' "$SIM_LOG" && break; sleep 0.2; done
TOKEN=$(sed -n 's/^token: \([^ ]*\).*/\1/p' "$SIM_LOG")
[[ -n "$TOKEN" ]] || { echo "the simulator did not start" >&2; cat "$SIM_LOG" >&2; exit 1; }

cat >"$WORK/env" <<ENV
BOT_TOKEN=$TOKEN
TELEGRAM_API_BASE=http://host.docker.internal:$PORT
ADMIN_TOKEN=smoke-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
ENV
# The web service reads these settings instead of ../.env, and reaches the host.
cat >"$WORK/override.yaml" <<YAML
services:
  web:
    env_file: !override ["$WORK/env"]
    extra_hosts: ["host.docker.internal:host-gateway"]
YAML
COMPOSE=(docker compose -p "$PROJECT" -f deploy/compose.yaml -f "$WORK/override.yaml")
"${COMPOSE[@]}" build web
"${COMPOSE[@]}" up -d redis web

for _ in $(seq 90); do
  curl -fsS http://127.0.0.1:8080/readyz >/dev/null 2>&1 && break
  sleep 1
done
curl -fsS http://127.0.0.1:8080/readyz >/dev/null || { echo "/readyz never answered 200" >&2; exit 1; }

curl -fsS -X POST "http://127.0.0.1:$PORT/_sim/user_message" \
  -H 'Content-Type: application/json' -d '{"chat_id": 42, "user_id": 42, "text": "/start"}' >/dev/null
for _ in $(seq 30); do
  if curl -fsS "http://127.0.0.1:$PORT/_sim/sent" | grep -q '"chat_id": *42'; then
    echo "smoke test passed: /readyz 200 and /start answered"
    exit 0
  fi
  sleep 1
done
echo "the bot did not answer /start" >&2
exit 1
