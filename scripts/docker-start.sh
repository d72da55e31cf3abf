#!/usr/bin/env bash
# Starts HERMES with docker compose: two instances, PostgreSQL, nginx, Prometheus and Grafana (or the services named).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COMPOSE=(docker compose --file "$ROOT/docker-compose.yml" --project-directory "$ROOT")

usage() {
  cat <<'USAGE'
Usage: scripts/docker-start.sh [--build] [--follow] [SERVICE...]

  --build     rebuild the images before starting
  --follow    follow the logs after starting (Ctrl-C stops following, not the services)
  SERVICE     start only these services (e.g. postgres hermes-1)
  -h, --help  show this help
USAGE
}

build=()
follow=0
services=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=(--build) ;;
    --follow | -f) follow=1 ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "docker-start: unknown option '$1'" >&2; usage >&2; exit 2 ;;
    *) services+=("$1") ;;
  esac
  shift
done

if [ ! -f "$ROOT/nginx/certs/fullchain.pem" ] || [ ! -f "$ROOT/nginx/certs/privkey.pem" ]; then
  echo "docker-start: warning: nginx/certs/fullchain.pem and privkey.pem are missing; nginx will not start until they exist" >&2
fi

"${COMPOSE[@]}" up --detach ${build[@]+"${build[@]}"} ${services[@]+"${services[@]}"}
"${COMPOSE[@]}" ps
if [ "$follow" -eq 1 ]; then
  exec "${COMPOSE[@]}" logs --follow --tail 50 ${services[@]+"${services[@]}"}
fi
