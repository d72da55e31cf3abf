#!/usr/bin/env bash
# Builds the HERMES images from the Dockerfile: hermes:latest (runtime stage, production dependencies only) and
# hermes:dev (sources and dev tools, runs the tests).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() {
  cat <<'USAGE'
Usage: scripts/docker-build.sh [--no-cache] [--prod-only | --dev-only]

  --no-cache    build every layer again (after a base image or system package update)
  --prod-only   build only hermes:latest (the runtime image)
  --dev-only    build only hermes:dev (tests and tooling)
  -h, --help    show this help
USAGE
}

no_cache=()
prod=1
dev=1
while [ $# -gt 0 ]; do
  case "$1" in
    --no-cache) no_cache=(--no-cache) ;;
    --prod-only) dev=0 ;;
    --dev-only) prod=0 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "docker-build: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
if [ "$prod" -eq 0 ] && [ "$dev" -eq 0 ]; then
  echo "docker-build: --prod-only and --dev-only exclude each other" >&2
  exit 2
fi

build() {
  local target="$1" tag="$2"
  echo "Building ${tag} (target ${target})..."
  docker build ${no_cache[@]+"${no_cache[@]}"} --target "$target" --tag "$tag" "$ROOT"
}

if [ "$prod" -eq 1 ]; then build runtime hermes:latest; fi
if [ "$dev" -eq 1 ]; then build dev hermes:dev; fi
echo "Done."
