#!/usr/bin/env bash
# The container smoke test (not part of ./gitcrq test: it builds images and runs ten containers): docker-compose.yml
# as it is, run with podman, and the quickstart's journey through the CLI against the published ports:
# CRQ → branch → push → approve → merge → CLOSED. Prints each step; tears everything down at the end.
#   deploy/images/compose-smoke.sh            build what is missing, start, run the journey, tear down
#   GITCRQ_SMOKE_KEEP=1 deploy/images/compose-smoke.sh   leave compose running (stop it: see the last lines printed)
#   GITCRQ_SMOKE_REBUILD=1 …                   build the service images again (./gitcrq images) even when present
#   GITCRQ_STANDINS_REBUILD=1 …                build the Kafka and PostgreSQL stand-ins again (after a change to them)
# Needs root (rootful podman, as deploy/images/podman-setup.sh sets it up), podman and Debian's docker-compose 1.29
# (both installed when missing), Java and Maven. No registry is needed: the services' images come from ./gitcrq images,
# Kafka's and PostgreSQL's from build-standins.sh (compose takes them from GITCRQ_KAFKA_IMAGE and GITCRQ_POSTGRES_IMAGE).
# What it sets up for itself, under .gitcrq-run/compose-smoke/ (removed at the end):
#   - a podman API socket (podman system service) that docker-compose talks to (DOCKER_HOST);
#   - a loop running `podman healthcheck run` for the project's containers: podman without systemd runs no
#     healthchecks by itself, and compose's service_healthy conditions would never hold;
#   - an env file with fresh random secrets, GITCRQ_PROFILE=local (the development users alice and bob, password =
#     name: there is no identity provider here) and the stand-in images;
#   - the demo repository in a directory bind-mounted at the same path into git-watcher and merge-bot (a compose
#     override file): a local repository, as `repo watch /path` registers it, written to by both (uid 10001) and by
#     the push from the host, so it is shared (core.sharedRepository=0777).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
# shellcheck source=deploy/images/podman-api.sh
source deploy/images/podman-api.sh
RUN="$ROOT/.gitcrq-run/compose-smoke"
PROJECT=${GITCRQ_SMOKE_PROJECT:-gitcrq-smoke}
TAG=${GITCRQ_VERSION:-dev}
SERVICES=(crq-service git-watcher merge-bot audit-collector console mcp-server)
declare -A PORT=([crq-service]=8081 [git-watcher]=8082 [merge-bot]=8083 [audit-collector]=8084 [console]=8086
  [mcp-server]=8087)
START_TIMEOUT=${GITCRQ_SMOKE_START_TIMEOUT:-900}
STEP_TIMEOUT=${GITCRQ_SMOKE_STEP_TIMEOUT:-180}

step() { printf '\n[smoke %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
fail() { printf '\n[smoke %s] FAILED: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || fail "needs root (rootful podman)"
need=()
command -v podman >/dev/null || need+=(podman)
command -v docker-compose >/dev/null || need+=(docker-compose)
if ((${#need[@]})); then
  step "installing ${need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
deploy/images/podman-setup.sh

for port in 9094 "${PORT[@]}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    fail "127.0.0.1:$port is taken: compose publishes its services there (is another compose or ./gitcrq up running?)"
  fi
done

# ---------------------------------------------------------------------------------------------------------- images
missing=0
for s in "${SERVICES[@]}"; do podman image exists "gitcrq/$s:$TAG" || missing=1; done
if [[ $missing == 1 || ${GITCRQ_SMOKE_REBUILD:-0} == 1 ]]; then
  step "building the service images (./gitcrq images)"
  deploy/images/build-images.sh -o
fi
step "the service images"
podman images --format '{{.Repository}}:{{.Tag}} {{.ID}} {{.Size}}' | grep -E "/gitcrq/($(IFS='|'; echo "${SERVICES[*]}")):$TAG " ||
  fail "a service image is missing"
step "the stand-ins for apache/kafka:4.2.1 and postgres:17 (build-standins.sh)"
mapfile -t standins < <(deploy/images/build-standins.sh)
((${#standins[@]} == 2)) || fail "build-standins.sh"
KAFKA_IMAGE=${standins[0]}
POSTGRES_IMAGE=${standins[1]}
echo "GITCRQ_KAFKA_IMAGE=$KAFKA_IMAGE GITCRQ_POSTGRES_IMAGE=$POSTGRES_IMAGE"

CLI_JAR="$ROOT/cli/target/gitcrq-cli.jar"
if [[ ! -f $CLI_JAR ]]; then
  step "building the CLI"
  mvn -o -B -q -DskipTests package -pl cli -am >&2
fi

# ----------------------------------------------------------------------------------------------------------- setup
rm -rf "$RUN"
mkdir -p "$RUN"
SOCKET="$RUN/podman.sock"
export DOCKER_HOST="unix://$SOCKET"
COMPOSE=(docker-compose --project-name "$PROJECT" --project-directory "$ROOT" --env-file "$RUN/gitcrq.env"
  -f "$ROOT/docker-compose.yml" -f "$RUN/compose.smoke.yml")
health_pid=

teardown() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  if [[ ${GITCRQ_SMOKE_KEEP:-0} == 1 && $rc == 0 ]]; then
    step "kept running (GITCRQ_SMOKE_KEEP=1); stop it with:"
    echo "  DOCKER_HOST=$DOCKER_HOST ${COMPOSE[*]} down -v; kill $health_pid $podman_api_pid; rm -rf $RUN"
    exit 0
  fi
  if ((rc != 0)) && [[ -S $SOCKET ]]; then
    step "the containers at the failure"
    podman ps -a --filter "label=com.docker.compose.project=$PROJECT" \
      --format '{{.Names}} {{.Status}}' || true
    for c in $(podman ps -a --filter "label=com.docker.compose.project=$PROJECT" --format '{{.Names}}'); do
      echo "--- last lines of $c"
      podman logs --tail 15 "$c" 2>&1 | cut -c1-300 || true
    done
  fi
  step "tearing down"
  if [[ -n $health_pid ]]; then kill "$health_pid" 2>/dev/null; wait "$health_pid" 2>/dev/null; fi
  if [[ -S $SOCKET ]]; then
    "${COMPOSE[@]}" down -v --remove-orphans -t 10 >"$RUN/down.log" 2>&1 || cat "$RUN/down.log" >&2
  fi
  # What compose could not remove (a failed start): this project's containers, volumes and network only.
  podman ps -aq --filter "label=com.docker.compose.project=$PROJECT" | xargs -r podman rm -f -t 5 >/dev/null 2>&1 || true
  podman volume ls -q --filter "label=com.docker.compose.project=$PROJECT" | xargs -r podman volume rm -f >/dev/null 2>&1 || true
  podman network ls -q --filter "label=com.docker.compose.project=$PROJECT" | xargs -r podman network rm -f >/dev/null 2>&1 || true
  podman_api_stop
  rm -rf "$RUN"
  if ((rc == 0)); then step "PASSED"; else step "exit code $rc"; fi
  exit "$rc"
}
trap teardown EXIT
trap 'exit 130' INT TERM

step "podman's API for docker-compose at $SOCKET"
podman_api_start "$SOCKET" "$RUN/podman-service.log" || fail "podman's API"
docker-compose version --short

step "an env file with random secrets ($RUN/gitcrq.env, GITCRQ_PROFILE=local)"
umask 077
{
  echo "GITCRQ_VERSION=$TAG"
  echo "GITCRQ_PROFILE=local"
  echo "GITCRQ_KAFKA_IMAGE=$KAFKA_IMAGE"
  echo "GITCRQ_POSTGRES_IMAGE=$POSTGRES_IMAGE"
  echo "GITCRQ_KAFKA_CLUSTER_ID=$(openssl rand -base64 16 | tr '+/' '-_' | cut -c1-22)"
  echo "GITCRQ_KAFKA_EXTERNAL_ADVERTISED=127.0.0.1:9094"
  for p in KAFKA_ADMIN CRQ_SERVICE GIT_WATCHER MERGE_BOT AUDIT_COLLECTOR CONSOLE MCP_SERVER; do
    echo "GITCRQ_KAFKA_PASSWORD_$p=$(openssl rand -hex 24)"
  done
  echo "GITCRQ_KAFKA_EXEC_HOSTS="
  echo "GITCRQ_POSTGRES_PASSWORD=$(openssl rand -hex 24)"
  for s in CRQ_SERVICE GIT_WATCHER MERGE_BOT AUDIT_COLLECTOR CONSOLE MCP_SERVER; do
    echo "GITCRQ_DB_PASSWORD_$s=$(openssl rand -hex 24)"
  done
  echo "GITCRQ_SECRETS_KEY=$(openssl rand -base64 32)"
  echo "GITCRQ_MCP_SERVER_SECRETS_KEY=$(openssl rand -base64 32)"
  echo "GITCRQ_AUTH_TOKEN_ISSUER="
  echo "GITCRQ_AUTH_TOKEN_JWKS_URL="
  echo "GITCRQ_AUTH_TOKEN_AUDIENCE="
  echo "GITCRQ_AUDIT_RETENTION="
} >"$RUN/gitcrq.env"
umask 022

step "the demo repository, shared with git-watcher and merge-bot at $RUN/repos"
REPOS="$RUN/repos"
BARE="$REPOS/demo.git"
CLONE="$RUN/work/demo"
mkdir -p "$REPOS" "$RUN/work"
chmod 0777 "$REPOS"
git init -q --bare --shared=0777 -b main "$BARE"
git clone -q "$BARE" "$CLONE" 2>/dev/null
g() { git -C "$CLONE" -c user.name=alice -c user.email=alice@example.com "$@"; }
echo demo >"$CLONE/README.md"
g add README.md
g commit -q -m "initial import"
g push -q origin main
chmod -R a+rwX "$BARE"
git -C "$BARE" log --oneline main
HOST_IP=$(hostname -I | awk '{print $1}')
# The override file, per service: the demo repository at the same path as on the host for git-watcher and
# merge-bot, which read and write it; and for mcp-server, since podman 4.3 knows no host-gateway and the smoke runs no
# exec-agent, the host's own address as host.docker.internal.
{
  echo "# compose-smoke.sh's additions (see there)."
  echo "services:"
  for s in git-watcher merge-bot; do
    printf '  %s:\n    volumes:\n      - "%s:%s"\n' "$s" "$REPOS" "$REPOS"
  done
  printf '  mcp-server:\n    extra_hosts:\n      - "host.docker.internal:%s"\n' "$HOST_IP"
} >"$RUN/compose.smoke.yml"
"${COMPOSE[@]}" config -q

step "podman runs the containers' healthchecks (a loop of podman healthcheck run, as systemd's timers would)"
(
  while :; do
    for c in $(podman ps --filter "label=com.docker.compose.project=$PROJECT" --format '{{.Names}}' 2>/dev/null); do
      podman healthcheck run "$c" >/dev/null 2>&1 || true
    done
    sleep 5
  done
) &
health_pid=$!

step "docker-compose up -d (kafka, kafka-init, postgres, volumes-init, then the six services)"
"${COMPOSE[@]}" up -d 2>&1 | tee "$RUN/up.log"
((PIPESTATUS[0] == 0)) || fail "docker-compose up"

step "waiting for each service's /q/health/ready on its published port"
deadline=$((SECONDS + START_TIMEOUT))
for s in "${SERVICES[@]}"; do
  until curl -fsS -o /dev/null "http://127.0.0.1:${PORT[$s]}/q/health/ready" 2>/dev/null; do
    ((SECONDS < deadline)) || fail "$s is not ready on 127.0.0.1:${PORT[$s]} after ${START_TIMEOUT}s"
    sleep 5
  done
  echo "$s ready on 127.0.0.1:${PORT[$s]}"
done
podman ps --filter "label=com.docker.compose.project=$PROJECT" --format '{{.Names}} {{.Image}} {{.Status}}'

# --------------------------------------------------------------------------------------------------------- journey
export GITCRQ_CRQ_URL=http://127.0.0.1:8081 GITCRQ_GIT_WATCHER_URL=http://127.0.0.1:8082
export GITCRQ_MERGE_BOT_URL=http://127.0.0.1:8083 GITCRQ_AUDIT_URL=http://127.0.0.1:8084
export GITCRQ_MCP_SERVER_URL=http://127.0.0.1:8087
cli() {
  local user=$1
  shift
  GITCRQ_PASSWORD=$user java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$CLI_JAR" --user "$user" "$@"
}
# await WHAT COMMAND…: until the command succeeds, at most STEP_TIMEOUT seconds.
await() {
  local what=$1 deadline=$((SECONDS + STEP_TIMEOUT))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || fail "$what: not within ${STEP_TIMEOUT}s"
    sleep 2
  done
}

step "alice: repo watch $BARE --name demo"
cli alice repo watch "$BARE" --name demo
step "alice: crq create --repo demo"
ID=$(cli alice --json crq create --title "Login timeout" --description "Sessions expire after 30 min" --repo demo |
  jq -r .id)
[[ $ID =~ ^CRQ-[0-9]+$ ]] || fail "no CRQ id from crq create: $ID"
echo "$ID"
step "alice: crq submit $ID"
cli alice crq submit "$ID"
step "alice: branch start $ID --type feature --desc \"login timeout\""
started=$(cli alice branch start "$ID" --type feature --desc "login timeout")
echo "$started"
BRANCH=$(grep -oE 'feature/[A-Za-z0-9._/-]+' <<<"$started" | head -1)
[[ -n $BRANCH ]] || fail "no branch in: $started"
git -C "$BARE" rev-parse --verify -q "refs/heads/$BRANCH" >/dev/null || fail "$BRANCH is not in $BARE"

step "alice: commit on $BRANCH and push"
g fetch -q origin
g checkout -q -b "$BRANCH" "origin/$BRANCH"
echo 30 >"$CLONE/timeout.txt"
g add timeout.txt
g commit -q -m "$ID: raise login timeout"
g push -q origin "$BRANCH"
COMMIT=$(g rev-parse HEAD)
echo "pushed $COMMIT"
linked() { cli alice --json crq show "$ID" | jq -e --arg c "$COMMIT" '.links | tostring | contains($c)' >/dev/null; }
await "the CRQ shows the pushed commit" linked
echo "$ID links $COMMIT"

step "bob: crq approve $ID"
MAIN_BEFORE=$(git -C "$BARE" rev-parse main)
cli bob crq approve "$ID" --reason "four eyes"
closed() {
  [[ $(git -C "$BARE" rev-parse main) != "$MAIN_BEFORE" ]] &&
    [[ $(cli bob --json crq show "$ID" | jq -r .status) == CLOSED ]]
}
await "merged into main and CLOSED" closed

step "main of $BARE after merge-bot's merge"
git -C "$BARE" log --oneline -3 main
git -C "$BARE" log -1 --format=%B main | grep -q "$ID" || fail "main's last commit does not name $ID"
step "alice: crq show $ID"
cli alice crq show "$ID"
echo "$ID is $(cli alice --json crq show "$ID" | jq -r .status)"
