#!/usr/bin/env bash
# Shows the logs of HERMES' services (all, or the ones named).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COMPOSE=(docker compose --file "$ROOT/docker-compose.yml" --project-directory "$ROOT")

usage() {
  cat <<'USAGE'
Usage: scripts/docker-logs.sh [--follow] [--tail N] [SERVICE...]

  --follow, -f  keep printing new lines
  --tail N      lines to show from the end of each log (default 100; "all" for everything)
  SERVICE       e.g. hermes-1 nginx
  -h, --help    show this help
USAGE
}

follow=()
tail_n=100
services=()
while [ $# -gt 0 ]; do
  case "$1" in
    --follow | -f) follow=(--follow) ;;
    --tail)
      if [ $# -lt 2 ]; then echo "docker-logs: --tail needs a number" >&2; exit 2; fi
      tail_n="$2"
      shift
      ;;
    --tail=*) tail_n="${1#--tail=}" ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "docker-logs: unknown option '$1'" >&2; usage >&2; exit 2 ;;
    *) services+=("$1") ;;
  esac
  shift
done
if ! [[ "$tail_n" =~ ^[0-9]+$ || "$tail_n" == "all" ]]; then
  echo "docker-logs: --tail expects a number or 'all', got '$tail_n'" >&2
  exit 2
fi

exec "${COMPOSE[@]}" logs ${follow[@]+"${follow[@]}"} --tail "$tail_n" ${services[@]+"${services[@]}"}
