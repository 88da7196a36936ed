#!/usr/bin/env bash
# docker-compose's healthcheck of a gitcrq service: healthy when GET <path> on the service's port answers 200.
# Needs only bash (its /dev/tcp), no curl in the image. Usage: healthcheck.sh <port> <path>
set -euo pipefail
port=${1:?port}
path=${2:?path}
[[ $port =~ ^[0-9]{1,5}$ && $path =~ ^/[A-Za-z0-9/_.-]*$ ]] || { echo "usage: healthcheck.sh <port> </path>" >&2; exit 2; }
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$path" >&3
IFS= read -r -t 10 status <&3
[[ $status =~ ^HTTP/1\.[01]\ 200\  ]]
