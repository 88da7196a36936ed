#!/usr/bin/env bash
# Local stand-ins for the two images docker-compose.yml pulls, for a machine that reaches no container registry
# (compose-smoke.sh uses them). Never tagged with the official names: compose takes them from GITCRQ_KAFKA_IMAGE and
# GITCRQ_POSTGRES_IMAGE.
#   localhost/gitcrq/kafka-standin:4.2.1      for apache/kafka:4.2.1: Kafka 4.2.1's broker and tools from the Maven
#                                             repository (kafka/pom.xml), /opt/kafka/bin/kafka-*.sh as the official has
#   localhost/gitcrq/postgres-standin:15      for postgres:17: Debian bookworm's PostgreSQL with an entrypoint honouring
#                                             the official image's contract (postgres/docker-entrypoint.sh)
# Both on the base image of build-base.sh (built first when missing). Needs root and podman; prints the two names.
# An image that exists is kept: GITCRQ_STANDINS_REBUILD=1 builds both again.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/deploy/images"
IMAGES="$ROOT/.gitcrq-run/images"
BASE_IMAGE=localhost/gitcrq/base-jre17:bookworm
KAFKA_IMAGE=localhost/gitcrq/kafka-standin:4.2.1
POSTGRES_IMAGE=localhost/gitcrq/postgres-standin:15
KAFKA_TOOLS=(kafka-server-start.sh kafka-storage.sh kafka-topics.sh kafka-acls.sh kafka-configs.sh
  kafka-broker-api-versions.sh kafka-consumer-groups.sh kafka-console-consumer.sh kafka-console-producer.sh)

"$HERE/podman-setup.sh"
if ! podman image exists "$BASE_IMAGE"; then
  [[ -f $IMAGES/base-jre17.tar ]] || "$HERE/build-base.sh" "$IMAGES/base-jre17.tar"
  podman load -q -i "$IMAGES/base-jre17.tar" >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [[ ${GITCRQ_STANDINS_REBUILD:-0} == 1 ]] || ! podman image exists "$KAFKA_IMAGE"; then
  echo "building $KAFKA_IMAGE (Kafka's jars from the Maven repository) …" >&2
  mkdir -p "$work/kafka/bin"
  # Offline first (the project's build already fetched Kafka); the dependency plugin itself may need the network once.
  (cd "$HERE/kafka" && { mvn -o -B -q dependency:copy-dependencies -DoutputDirectory="$work/kafka/libs" >/dev/null 2>&1 ||
    mvn -B -q dependency:copy-dependencies -DoutputDirectory="$work/kafka/libs" >&2; })
  cp "$HERE/kafka/Containerfile" "$work/kafka/"
  for tool in "${KAFKA_TOOLS[@]}"; do
    install -m 0755 "$HERE/kafka/kafka-run.sh" "$work/kafka/bin/$tool"
  done
  podman build -q --pull=never -t "$KAFKA_IMAGE" "$work/kafka" >/dev/null
fi

if [[ ${GITCRQ_STANDINS_REBUILD:-0} == 1 ]] || ! podman image exists "$POSTGRES_IMAGE"; then
  echo "building $POSTGRES_IMAGE (Debian's postgresql-15) …" >&2
  podman build -q --pull=never -t "$POSTGRES_IMAGE" "$HERE/postgres" >/dev/null
fi
echo "$KAFKA_IMAGE"
echo "$POSTGRES_IMAGE"
