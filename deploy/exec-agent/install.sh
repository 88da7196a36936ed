#!/usr/bin/env bash
# Installs exec-agent on this host as a systemd service: the built jar (services/exec-agent/target/quarkus-app) into
# /opt/gitcrq/exec-agent, the unit, a user gitcrq, and /etc/gitcrq/exec-agent.env from the example if there is none.
#   deploy/exec-agent/install.sh          (as root, after ./gitcrq build)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
APP="$ROOT/services/exec-agent/target/quarkus-app"
[[ $(id -u) -eq 0 ]] || { echo "run as root" >&2; exit 1; }
[[ -f $APP/quarkus-run.jar ]] || { echo "build first: ./gitcrq build" >&2; exit 1; }
for tool in java tmux git; do
  command -v "$tool" >/dev/null || { echo "exec-agent needs $tool on this host" >&2; exit 1; }
done
id gitcrq >/dev/null 2>&1 || useradd --system --home-dir /var/lib/gitcrq --shell /usr/sbin/nologin gitcrq
install -d -o root -g root -m 0755 /opt/gitcrq/exec-agent
cp -a "$APP/." /opt/gitcrq/exec-agent/
install -d -o root -g root -m 0755 /etc/gitcrq
if [[ ! -f /etc/gitcrq/exec-agent.env ]]; then
  install -o root -g root -m 0600 "$ROOT/deploy/exec-agent/exec-agent.env.example" /etc/gitcrq/exec-agent.env
  echo "edit /etc/gitcrq/exec-agent.env (Kafka, database, grant key), then: systemctl start gitcrq-exec-agent" >&2
fi
install -o root -g root -m 0644 "$ROOT/deploy/exec-agent/gitcrq-exec-agent.service" /etc/systemd/system/
if command -v systemctl >/dev/null && [[ -d /run/systemd/system ]]; then
  systemctl daemon-reload
  systemctl enable gitcrq-exec-agent
fi
