#!/usr/bin/env bash
# /opt/kafka/bin/<tool>.sh of the stand-in image: runs the tool's main class on /opt/kafka/libs, as the official
# scripts do through kafka-run-class.sh. The name this script is linked as chooses the class.
set -euo pipefail
case $(basename "$0") in
  kafka-server-start.sh) main=kafka.Kafka; heap=${KAFKA_HEAP_OPTS:--Xmx1G -Xms256M}; level=info ;;
  kafka-storage.sh) main=kafka.tools.StorageTool ;;
  kafka-topics.sh) main=org.apache.kafka.tools.TopicCommand ;;
  kafka-acls.sh) main=org.apache.kafka.tools.AclCommand ;;
  kafka-configs.sh) main=kafka.admin.ConfigCommand ;;
  kafka-broker-api-versions.sh) main=org.apache.kafka.tools.BrokerApiVersionsCommand ;;
  kafka-consumer-groups.sh) main=org.apache.kafka.tools.consumer.group.ConsumerGroupCommand ;;
  kafka-console-consumer.sh) main=org.apache.kafka.tools.consumer.ConsoleConsumer ;;
  kafka-console-producer.sh) main=org.apache.kafka.tools.ConsoleProducer ;;
  *) echo "$(basename "$0"): not a tool of this image" >&2; exit 2 ;;
esac
# The tools log warnings only (their client configuration at INFO would bury their output), as the official image's
# tools-log4j2.yaml has it; the broker logs at INFO.
# shellcheck disable=SC2086 # heap and KAFKA_OPTS are lists of JVM options, as in the official scripts
# The tools are short-lived JVMs (kafka-init starts dozens): C1 only and the serial collector, to start quicker.
if [[ -z ${heap:-} ]]; then
  jvm=(${KAFKA_HEAP_OPTS:--Xmx256M} -XX:TieredStopAtLevel=1 -XX:+UseSerialGC)
else
  jvm=($heap -XX:+UseG1GC)
fi
exec java "${jvm[@]}" -Djava.awt.headless=true \
  -Dorg.slf4j.simpleLogger.defaultLogLevel="${level:-warn}" \
  -Dorg.slf4j.simpleLogger.showDateTime=true ${KAFKA_OPTS:-} -cp '/opt/kafka/libs/*' "$main" "$@"
