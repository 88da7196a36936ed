#!/usr/bin/env bash
# docker-compose's kafka-init: creates gitcrq's topics (topics.conf) and ACLs (acls.conf) as the broker's
# administrator, then exits. Runs at every `docker-compose up`: creating what exists already changes nothing.
# The two files are data, read field by field; each field is checked against a strict pattern and handed to Kafka's
# tools as one argument: nothing in them is ever run as code.
#
# Input, from the environment only: GITCRQ_KAFKA_PASSWORD_KAFKA_ADMIN (the administrator's SCRAM password),
# GITCRQ_KAFKA_BOOTSTRAP (default kafka:9092), GITCRQ_KAFKA_REPLICATION_FACTOR (default 1).
set -euo pipefail

KAFKA_HOME=${KAFKA_HOME:-/opt/kafka}
HERE=${GITCRQ_KAFKA_INIT_DIR:-/opt/gitcrq}
BOOTSTRAP=${GITCRQ_KAFKA_BOOTSTRAP:-kafka:9092}
REPLICATION=${GITCRQ_KAFKA_REPLICATION_FACTOR:-1}

fail() { echo "kafka-init: $*" >&2; exit 1; }

password=${GITCRQ_KAFKA_PASSWORD_KAFKA_ADMIN:-}
[[ $password =~ ^[A-Za-z0-9._~-]{16,128}$ && $password != replace-* ]] || fail "GITCRQ_KAFKA_PASSWORD_KAFKA_ADMIN is missing or not 16-128 of [A-Za-z0-9._~-]"
[[ $BOOTSTRAP =~ ^[A-Za-z0-9.-]+:[0-9]{1,5}$ ]] || fail "GITCRQ_KAFKA_BOOTSTRAP is not host:port"
[[ $REPLICATION =~ ^[1-9]$ ]] || fail "GITCRQ_KAFKA_REPLICATION_FACTOR is not 1-9"

umask 077
config=$(mktemp)
trap 'rm -f "$config"' EXIT
cat >"$config" <<PROPS
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="kafka-admin" password="$password";
PROPS

topic_ok() { [[ $1 =~ ^[A-Za-z0-9._-]{1,249}$ ]]; }

while read -r name partitions retention policy rest; do
  [[ -z ${name:-} || $name == \#* ]] && continue
  topic_ok "$name" || fail "topics.conf: not a topic name: $name"
  [[ $partitions =~ ^[1-9][0-9]{0,2}$ ]] || fail "topics.conf: $name: partitions $partitions"
  [[ $retention =~ ^(-1|[1-9][0-9]{0,15})$ ]] || fail "topics.conf: $name: retention.ms $retention"
  [[ $policy =~ ^(delete|compact|compact,delete)$ ]] || fail "topics.conf: $name: cleanup.policy $policy"
  [[ -z ${rest:-} ]] || fail "topics.conf: $name: unexpected fields: $rest"
  "$KAFKA_HOME/bin/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$config" \
    --create --if-not-exists --topic "$name" --partitions "$partitions" --replication-factor "$REPLICATION" \
    --config "retention.ms=$retention" --config "cleanup.policy=$policy" >/dev/null
  echo "kafka-init: topic $name"
done <"$HERE/topics.conf"

while read -r principal operations type pattern names; do
  [[ -z ${principal:-} || $principal == \#* ]] && continue
  [[ $principal =~ ^User:[a-z][a-z0-9-]{0,62}$ ]] || fail "acls.conf: not a principal: $principal"
  [[ $operations =~ ^(Read|Write|Describe)(,(Read|Write|Describe))*$ ]] || fail "acls.conf: $principal: operations $operations"
  [[ $pattern =~ ^(literal|prefixed)$ ]] || fail "acls.conf: $principal: pattern type $pattern"
  read -r -a resources <<<"${names:-}"
  ((${#resources[@]})) || fail "acls.conf: $principal: no resource named"
  args=(--bootstrap-server "$BOOTSTRAP" --command-config "$config" --add --allow-principal "$principal"
    --resource-pattern-type "$pattern")
  IFS=, read -r -a ops <<<"$operations"
  for op in "${ops[@]}"; do args+=(--operation "$op"); done
  for resource in "${resources[@]}"; do
    topic_ok "$resource" || fail "acls.conf: $principal: not a resource name: $resource"
    case $type in
      topic) args+=(--topic "$resource") ;;
      group) args+=(--group "$resource") ;;
      *) fail "acls.conf: $principal: resource type $type (topic or group)" ;;
    esac
  done
  "$KAFKA_HOME/bin/kafka-acls.sh" "${args[@]}" >/dev/null
  echo "kafka-init: $principal may $operations $type ($pattern) ${resources[*]}"
done <"$HERE/acls.conf"
echo "kafka-init: done"
