#!/usr/bin/env bash
# ./gitcrq images: one OCI image per central service (crq-service, git-watcher, merge-bot, audit-collector, console,
# mcp-server), JVM mode, built by Quarkus' Jib extension without a Docker daemon on the base image of build-base.sh (Debian bookworm,
# openjdk-17-jre-headless, user 10001). Each image runs as 10001 from /deployments, exposes its service's port and
# takes its configuration from the environment (see docker-compose.yml and k8s/).
#   GITCRQ_IMAGE_REGISTRY unset: images loaded into podman and written as tarballs to .gitcrq-run/images/<service>.tar
#   GITCRQ_IMAGE_REGISTRY=registry.example.com/team: pushed there by Jib (credentials from the usual docker config)
#   GITCRQ_VERSION: the tag (default dev); extra arguments go to mvn
# exec-agent is not an image: it drives the host's tmux (deploy/exec-agent/). The console bundles asciinema-player,
# which deploy/prerequisites.sh installs (./gitcrq up and ./gitcrq test run it): run it first on a fresh clone.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
IMAGES="$ROOT/.gitcrq-run/images"
BASE="$IMAGES/base-jre17.tar"
TAG=${GITCRQ_VERSION:-dev}
SERVICES=(crq-service git-watcher merge-bot audit-collector console mcp-server)
if [[ ! $TAG =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]]; then
  echo "GITCRQ_VERSION '$TAG' is not an image tag" >&2
  exit 2
fi

[[ -f $BASE ]] || "$ROOT/deploy/images/build-base.sh" "$BASE"
"$ROOT/deploy/images/podman-setup.sh"

modules=$(printf 'services/%s,' "${SERVICES[@]}")
flags=(
  -Dquarkus.container-image.build=true
  -Dquarkus.container-image.group=gitcrq
  -Dquarkus.container-image.tag="$TAG"
  -Dquarkus.jib.base-jvm-image="tar://$BASE"
  -Dquarkus.jib.user=10001
  -Dquarkus.jib.working-directory=/deployments
)
if [[ -n ${GITCRQ_IMAGE_REGISTRY:-} ]]; then
  flags+=(-Dquarkus.container-image.registry="${GITCRQ_IMAGE_REGISTRY%%/*}" -Dquarkus.container-image.push=true)
  [[ $GITCRQ_IMAGE_REGISTRY == */* ]] && flags+=(-Dquarkus.container-image.group="${GITCRQ_IMAGE_REGISTRY#*/}/gitcrq")
else
  command -v podman >/dev/null || { echo "./gitcrq images needs podman (or GITCRQ_IMAGE_REGISTRY)" >&2; exit 1; }
  flags+=(-Dquarkus.jib.docker-executable-name=podman)
fi
echo "building the images of ${SERVICES[*]} (tag $TAG) …" >&2
mvn -B -q -DskipTests package -pl "${modules%,}" -am "${flags[@]}" "$@" >&2

if [[ -z ${GITCRQ_IMAGE_REGISTRY:-} ]]; then
  for service in "${SERVICES[@]}"; do
    rm -f "$IMAGES/$service.tar"
    podman save --format docker-archive -o "$IMAGES/$service.tar" "gitcrq/$service:$TAG" >/dev/null
    echo "gitcrq/$service:$TAG  $IMAGES/$service.tar"
  done
else
  printf "${GITCRQ_IMAGE_REGISTRY}/gitcrq/%s:$TAG pushed\n" "${SERVICES[@]}"
fi
