#!/usr/bin/env bash
# Removes HERMES' Docker resources: containers, images and/or volumes. Asks you to type DELETE first, because
# removing volumes destroys the database.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COMPOSE=(docker compose --file "$ROOT/docker-compose.yml" --project-directory "$ROOT")

usage() {
  cat <<'USAGE'
Usage: scripts/docker-clean.sh --containers | --images | --volumes | --all

  --containers  remove HERMES' containers (and networks)
  --images      remove the hermes:latest and hermes:dev images and the images compose pulled
  --volumes     remove the volumes: PostgreSQL data (every call, intake, user), Prometheus, Grafana
  --all         all of the above
  -h, --help    show this help
USAGE
}

containers=0
images=0
volumes=0
while [ $# -gt 0 ]; do
  case "$1" in
    --containers) containers=1 ;;
    --images) images=1 ;;
    --volumes) volumes=1 ;;
    --all) containers=1; images=1; volumes=1 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "docker-clean: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
if [ "$containers" -eq 0 ] && [ "$images" -eq 0 ] && [ "$volumes" -eq 0 ]; then
  echo "docker-clean: say what to remove" >&2
  usage >&2
  exit 2
fi

echo "This will remove:" >&2
[ "$containers" -eq 1 ] && echo "  - HERMES containers and networks" >&2
[ "$images" -eq 1 ] && echo "  - images hermes:latest, hermes:dev and those compose pulled" >&2
[ "$volumes" -eq 1 ] && echo "  - volumes: the PostgreSQL database, Prometheus and Grafana data (cannot be undone)" >&2
printf 'Type DELETE to confirm: ' >&2
answer=""
read -r answer || true
if [ "$answer" != "DELETE" ]; then
  echo "docker-clean: not confirmed; nothing was removed" >&2
  exit 1
fi

# Removing images or volumes needs the containers gone first, so `down` runs whatever was asked.
down=(down --remove-orphans)
[ "$images" -eq 1 ] && down+=(--rmi all)
[ "$volumes" -eq 1 ] && down+=(--volumes)
"${COMPOSE[@]}" "${down[@]}"
if [ "$images" -eq 1 ]; then
  docker image rm --force hermes:latest hermes:dev >/dev/null 2>&1 || true
fi
echo "Cleaned."
