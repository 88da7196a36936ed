#!/usr/bin/env bash
# Healthy once the broker answers the administrator over SCRAM on the client listener (start.sh wrote its config).
exec /opt/kafka/bin/kafka-broker-api-versions.sh --bootstrap-server 127.0.0.1:9092 \
  --command-config /tmp/gitcrq/admin.properties >/dev/null 2>&1
