#!/usr/bin/env bash
# docker-compose's kafka-init: creates gitcrq's topics (topics.conf) and ACLs (acls.conf) as the broker's
# administrator, lets in the exec-agent of each host named and locks out any other, then exits. Runs at every
# `docker-compose up`: creating what exists already changes nothing.
# The two files are data, read field by field; each field is checked against a strict pattern and handed to Kafka's
# tools as one argument: nothing in them is ever run as code.
#
# Input, from the environment only: GITCRQ_KAFKA_PASSWORD_KAFKA_ADMIN (the administrator's SCRAM password),
# GITCRQ_KAFKA_BOOTSTRAP (default kafka:9092), GITCRQ_KAFKA_REPLICATION_FACTOR (default 1), GITCRQ_KAFKA_EXEC_HOSTS
# (the exec-agent hosts, separated by spaces, each as <host>:<password>; may be empty).
#
# Each host's exec-agent signs in as User:exec-agent-<host> (shared-model's TopicAccess): acls.conf's rows for
# User:exec-agent-{host} are made for each host, {host} replaced by its name. Its SCRAM credentials are written here
# (from a file, never a command line), so a host is added or its password changed by editing the list and running
# kafka-init again; a host no longer listed loses its credentials and its ACLs.
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
# What TopicAccess.requireExecHost takes as a host name.
host_ok() { [[ $1 =~ ^[A-Za-z0-9]([A-Za-z0-9.-]{0,61}[A-Za-z0-9])?$ && $1 != crqs-* && $1 != repos-* ]]; }
password_ok() { [[ $1 =~ ^[A-Za-z0-9._~-]{16,128}$ && $1 != replace-* ]]; }

hosts=()
declare -A host_password=()
read -r -a entries <<<"${GITCRQ_KAFKA_EXEC_HOSTS:-}"
for entry in "${entries[@]}"; do
  host=${entry%%:*}
  host_ok "$host" || fail "GITCRQ_KAFKA_EXEC_HOSTS: not a host name: $host"
  [[ -z ${host_password[$host]+x} ]] || fail "GITCRQ_KAFKA_EXEC_HOSTS: $host twice"
  password_ok "${entry#*:}" || fail "GITCRQ_KAFKA_EXEC_HOSTS: $host: password is not 16-128 of [A-Za-z0-9._~-]"
  hosts+=("$host")
  host_password[$host]=${entry#*:}
done

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

# acl <add|remove> <principal> <operations> <type> <pattern> <names…>: one row of acls.conf, for one principal.
acl() {
  local action=$1 principal=$2 operations=$3 type=$4 pattern=$5
  shift 5
  [[ $principal =~ ^User:[A-Za-z0-9][A-Za-z0-9.-]{0,80}$ ]] || fail "acls.conf: not a principal: $principal"
  [[ $operations =~ ^(Read|Write|Describe)(,(Read|Write|Describe))*$ ]] || fail "acls.conf: $principal: operations $operations"
  [[ $pattern =~ ^(literal|prefixed)$ ]] || fail "acls.conf: $principal: pattern type $pattern"
  (($#)) || fail "acls.conf: $principal: no resource named"
  local args=(--bootstrap-server "$BOOTSTRAP" --command-config "$config" "--$action" --allow-principal "$principal"
    --resource-pattern-type "$pattern")
  [[ $action == remove ]] && args+=(--force)
  local ops op resource
  IFS=, read -r -a ops <<<"$operations"
  for op in "${ops[@]}"; do args+=(--operation "$op"); done
  for resource in "$@"; do
    topic_ok "$resource" || fail "acls.conf: $principal: not a resource name: $resource"
    case $type in
      topic) args+=(--topic "$resource") ;;
      group) args+=(--group "$resource") ;;
      *) fail "acls.conf: $principal: resource type $type (topic or group)" ;;
    esac
  done
  "$KAFKA_HOME/bin/kafka-acls.sh" "${args[@]}" >/dev/null
  echo "kafka-init: $action $principal may $operations $type ($pattern) $*"
}

# host_rows <add|remove> <host>: acls.conf's User:exec-agent-{host} rows, for this host.
host_rows() {
  local action=$1 host=$2 principal operations type pattern names
  while read -r principal operations type pattern names; do
    [[ -z ${principal:-} || $principal == \#* || $principal != *"{host}"* ]] && continue
    read -r -a resources <<<"${names//\{host\}/$host}"
    acl "$action" "${principal//\{host\}/$host}" "$operations" "$type" "$pattern" "${resources[@]}"
  done <"$HERE/acls.conf"
}

while read -r principal operations type pattern names; do
  [[ -z ${principal:-} || $principal == \#* || $principal == *"{host}"* ]] && continue
  read -r -a resources <<<"${names:-}"
  acl add "$principal" "$operations" "$type" "$pattern" "${resources[@]}"
done <"$HERE/acls.conf"

scram=$(mktemp)
trap 'rm -f "$config" "$scram"' EXIT
# kafka-configs.sh <args…>, its output shown only if it fails, with any password in it redacted.
configs() {
  local out
  if ! out=$("$KAFKA_HOME/bin/kafka-configs.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$config" "$@" 2>&1); then
    printf '%s\n' "$out" | sed -E 's/password=[^],[:space:]]*/password=[redacted]/g' >&2
    fail "kafka-configs.sh $* failed"
  fi
}

for host in "${hosts[@]}"; do
  # In a file (a command line is visible to every process of the container); the file form takes no brackets.
  printf 'SCRAM-SHA-512=iterations=8192,password=%s\n' "${host_password[$host]}" >"$scram"
  configs --alter --entity-type users --entity-name "exec-agent-$host" --add-config-file "$scram"
  echo "kafka-init: exec-agent host $host may sign in as User:exec-agent-$host"
  host_rows add "$host"
done

# Hosts let in before and no longer listed: their credentials and ACLs go.
users=$("$KAFKA_HOME/bin/kafka-configs.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$config" --describe \
  --entity-type users) || fail "cannot list the users with SCRAM credentials"
while read -r user; do
  [[ -n $user ]] || continue
  retired=${user#exec-agent-}
  [[ -n ${host_password[$retired]+x} ]] && continue
  host_ok "$retired" || continue
  configs --alter --entity-type users --entity-name "$user" --delete-config SCRAM-SHA-512
  host_rows remove "$retired"
  echo "kafka-init: exec-agent host $retired is locked out"
done < <(printf '%s\n' "$users" | sed -n "s/^SCRAM credential configs for user-principal '\(exec-agent-[^']*\)' are .*/\1/p")
echo "kafka-init: done"
