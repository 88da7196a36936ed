#!/usr/bin/env bash
# docker-compose's Kafka: one KRaft node (broker and controller), set up as kafka-broker's KafkaBroker sets up the
# broker of ./gitcrq up. Clients sign in with SASL SCRAM-SHA-512 (CLIENT inside the compose network, EXTERNAL for the
# host's exec-agent); the inter-broker and controller listeners listen on loopback only and take SASL PLAIN from the
# administrator alone. The StandardAuthorizer denies what no ACL allows; the administrator is the only super user.
# Every principal's SCRAM credentials are written at storage format (--add-scram), so they exist before any client
# connects. The topics and ACLs are kafka-init's (init.sh).
#
# Input, from the environment only: GITCRQ_KAFKA_PRINCIPALS (the principals, separated by spaces),
# GITCRQ_KAFKA_PASSWORD_<PRINCIPAL> for each (upper case, '-' as '_'), GITCRQ_KAFKA_CLUSTER_ID,
# GITCRQ_KAFKA_EXTERNAL_ADVERTISED (host:port the host's clients reach EXTERNAL at). TLS on EXTERNAL, the listener
# clients outside compose's network use (exec-agents on other hosts): GITCRQ_KAFKA_TLS_KEYSTORE names the broker's
# PKCS12 keystore (its key and certificate) inside the container, GITCRQ_KAFKA_TLS_KEYSTORE_PASSWORD its password;
# unset, EXTERNAL is SASL over plain TCP like CLIENT. The ports inside the container (GITCRQ_KAFKA_CLIENT_PORT 9092,
# GITCRQ_KAFKA_EXTERNAL_PORT 9094, GITCRQ_KAFKA_INTERNAL_PORT 19092, GITCRQ_KAFKA_CONTROLLER_PORT 9093) and its
# directories (GITCRQ_KAFKA_DATA_DIR, GITCRQ_KAFKA_CONF_DIR) change only where those are taken: this script run on a
# host, by a test. Every value is checked against a strict pattern before it is written anywhere: nothing from the
# environment is ever run as code or breaks out of the JAAS string, the properties file or the --add-scram argument
# it lands in.
set -euo pipefail

KAFKA_HOME=${KAFKA_HOME:-/opt/kafka}
DATA_DIR=${GITCRQ_KAFKA_DATA_DIR:-/var/lib/kafka/data}
CONF_DIR=${GITCRQ_KAFKA_CONF_DIR:-/tmp/gitcrq}
ADMIN=kafka-admin

fail() { echo "kafka start: $*" >&2; exit 1; }

# Names of principals: what TopicAccess names services (lower case, digits, '-').
name_ok() { [[ $1 =~ ^[a-z][a-z0-9-]{0,62}$ ]]; }
# Paths written into the properties file: absolute, no spaces, quotes or line breaks.
path_ok() { [[ $1 =~ ^/[A-Za-z0-9._/-]+$ ]]; }
path_ok "$DATA_DIR" || fail "GITCRQ_KAFKA_DATA_DIR is not an absolute path of [A-Za-z0-9._/-]"
path_ok "$CONF_DIR" || fail "GITCRQ_KAFKA_CONF_DIR is not an absolute path of [A-Za-z0-9._/-]"
# Passwords: letters, digits and . _ ~ - only, 16 to 128 of them (openssl rand -hex 24 makes one).
# gitcrq.env.example's placeholders ("replace-…") are refused.
password_ok() { [[ $1 =~ ^[A-Za-z0-9._~-]{16,128}$ && $1 != replace-* ]]; }

password_of() {
  local var="GITCRQ_KAFKA_PASSWORD_${1^^}"
  var=${var//-/_}
  local value=${!var:-}
  password_ok "$value" || fail "$var is missing or not 16-128 of [A-Za-z0-9._~-] (e.g. openssl rand -hex 24)"
  printf '%s' "$value"
}

read -r -a principals <<<"${GITCRQ_KAFKA_PRINCIPALS:?GITCRQ_KAFKA_PRINCIPALS names the Kafka principals}"
admin_listed=0
for p in "${principals[@]}"; do
  name_ok "$p" || fail "not a principal name: $p"
  [[ $p == "$ADMIN" ]] && admin_listed=1
done
((admin_listed)) || fail "GITCRQ_KAFKA_PRINCIPALS must name $ADMIN"
cluster_id=${GITCRQ_KAFKA_CLUSTER_ID:?GITCRQ_KAFKA_CLUSTER_ID: 22 characters, e.g. from kafka-storage.sh random-uuid}
[[ $cluster_id =~ ^[A-Za-z0-9_-]{22}$ ]] || fail "GITCRQ_KAFKA_CLUSTER_ID is not a Kafka cluster id (22 base64url characters)"
external=${GITCRQ_KAFKA_EXTERNAL_ADVERTISED:-127.0.0.1:9094}
[[ $external =~ ^[A-Za-z0-9.-]+:[0-9]{1,5}$ ]] || fail "GITCRQ_KAFKA_EXTERNAL_ADVERTISED is not host:port"
port_of() {
  local var=$1 value=${!1:-$2}
  [[ $value =~ ^[0-9]{1,5}$ ]] && ((value > 0 && value < 65536)) || fail "$var is not a port: $value"
  printf '%s' "$value"
}
client_port=$(port_of GITCRQ_KAFKA_CLIENT_PORT 9092)
external_port=$(port_of GITCRQ_KAFKA_EXTERNAL_PORT 9094)
internal_port=$(port_of GITCRQ_KAFKA_INTERNAL_PORT 19092)
controller_port=$(port_of GITCRQ_KAFKA_CONTROLLER_PORT 9093)
external_protocol=SASL_PLAINTEXT
tls_keystore=${GITCRQ_KAFKA_TLS_KEYSTORE:-}
if [[ -n $tls_keystore ]]; then
  path_ok "$tls_keystore" || fail "GITCRQ_KAFKA_TLS_KEYSTORE is not an absolute path of [A-Za-z0-9._/-]"
  [[ -f $tls_keystore && -r $tls_keystore ]] || fail "GITCRQ_KAFKA_TLS_KEYSTORE: no readable file at $tls_keystore"
  tls_password=${GITCRQ_KAFKA_TLS_KEYSTORE_PASSWORD:-}
  password_ok "$tls_password" || fail "GITCRQ_KAFKA_TLS_KEYSTORE_PASSWORD is missing or not 16-128 of [A-Za-z0-9._~-]"
  external_protocol=SASL_SSL
fi
# Every principal's password, checked at every start (not only at the first format): a placeholder or a malformed
# value stops the broker before anything listens.
for p in "${principals[@]}"; do password_of "$p" >/dev/null; done
admin_password=$(password_of "$ADMIN")

umask 077
mkdir -p "$CONF_DIR" "$DATA_DIR"
plain_jaas="org.apache.kafka.common.security.plain.PlainLoginModule required username=\"$ADMIN\" password=\"$admin_password\" user_$ADMIN=\"$admin_password\";"
cat >"$CONF_DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=CLIENT://0.0.0.0:$client_port,EXTERNAL://0.0.0.0:$external_port,INTERNAL://127.0.0.1:$internal_port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=CLIENT://kafka:$client_port,EXTERNAL://$external,INTERNAL://127.0.0.1:$internal_port
controller.listener.names=CONTROLLER
inter.broker.listener.name=INTERNAL
listener.security.protocol.map=CLIENT:SASL_PLAINTEXT,EXTERNAL:$external_protocol,INTERNAL:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT
sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.client.sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.client.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.external.sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.external.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
sasl.mechanism.inter.broker.protocol=PLAIN
listener.name.internal.sasl.enabled.mechanisms=PLAIN
listener.name.internal.plain.sasl.jaas.config=$plain_jaas
sasl.mechanism.controller.protocol=PLAIN
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=$plain_jaas
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:$ADMIN
log.dirs=$DATA_DIR
auto.create.topics.enable=false
num.partitions=6
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
if [[ -n $tls_keystore ]]; then
  cat >>"$CONF_DIR/server.properties" <<PROPS
listener.name.external.ssl.keystore.type=PKCS12
listener.name.external.ssl.keystore.location=$tls_keystore
listener.name.external.ssl.keystore.password=$tls_password
listener.name.external.ssl.enabled.protocols=TLSv1.3,TLSv1.2
PROPS
  echo "kafka start: EXTERNAL takes SASL over TLS only (keystore $tls_keystore)"
fi

# What the healthcheck and kafka-init sign in with: the administrator over SCRAM on the client listener.
cat >"$CONF_DIR/admin.properties" <<PROPS
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="$ADMIN" password="$admin_password";
PROPS

if [[ ! -f $DATA_DIR/meta.properties ]]; then
  args=(format -t "$cluster_id" -c "$CONF_DIR/server.properties" --ignore-formatted)
  for p in "${principals[@]}"; do
    args+=(--add-scram "SCRAM-SHA-512=[name=$p,password=$(password_of "$p")]")
  done
  # The tool's output names no password; its arguments do, so they are never echoed.
  "$KAFKA_HOME/bin/kafka-storage.sh" "${args[@]}" >/dev/null || fail "formatting $DATA_DIR failed"
  echo "kafka start: formatted $DATA_DIR with SCRAM credentials for: ${principals[*]}"
fi

exec "$KAFKA_HOME/bin/kafka-server-start.sh" "$CONF_DIR/server.properties"
