#!/usr/bin/env bash
# Stops HERMES' containers. With --volumes it also deletes the data volumes (database, metrics, dashboards) after
# you type "yes".
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COMPOSE=(docker compose --file "$ROOT/docker-compose.yml" --project-directory "$ROOT")

usage() {
  cat <<'USAGE'
Usage: scripts/docker-stop.sh [--volumes]

  --volumes   also delete the volumes: the PostgreSQL database, Prometheus and Grafana data (asks for "yes")
  -h, --help  show this help
USAGE
}

volumes=0
while [ $# -gt 0 ]; do
  case "$1" in
    --volumes | -v) volumes=1 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "docker-stop: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

if [ "$volumes" -eq 1 ]; then
  echo "This deletes the HERMES volumes: every call, intake and user in PostgreSQL, metrics and dashboards." >&2
  printf 'Type yes to delete them: ' >&2
  answer=""
  read -r answer || true
  if [ "$answer" != "yes" ]; then
    echo "docker-stop: not confirmed; nothing was stopped or deleted" >&2
    exit 1
  fi
  "${COMPOSE[@]}" down --volumes --remove-orphans
else
  "${COMPOSE[@]}" down --remove-orphans
fi
echo "Stopped."
