#!/usr/bin/env bash
# The services' integration tests against Kafka and PostgreSQL in containers (Testcontainers on podman) instead of the
# in-process broker and the machine's PostgreSQL: TestInfrastructure (test-support) decides by
# GITCRQ_TEST_INFRASTRUCTURE, which this script sets to `containers`. Outside `./gitcrq test` because it needs root
# (rootful podman) and the images; docs/guide/deploy.md "Tests against containers".
#
#   deploy/images/container-tests.sh                          # service-kit and every service's tests
#   deploy/images/container-tests.sh -pl services/crq-service -Dit.test=CrqServiceIT   # Maven arguments replace the
#                                                                                      # module list
# What it sets up: podman as podman-setup.sh configures it; the stand-in images of build-standins.sh where no registry
# serves apache/kafka and postgres (GITCRQ_KAFKA_IMAGE / GITCRQ_POSTGRES_IMAGE name others); podman's Docker API on a
# socket of its own (DOCKER_HOST), Testcontainers' reaper off (its image comes from a registry too; the tests remove
# their containers at exit, and this script removes any a killed test JVM left, by their label io.gitcrq.test).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
# shellcheck source=deploy/images/podman-api.sh
source deploy/images/podman-api.sh
RUN="$ROOT/.gitcrq-run/container-tests"
MODULES=service-kit,services/crq-service,services/git-watcher,services/merge-bot,services/audit-collector,services/exec-agent,services/console,services/mcp-server

step() { printf '\n[container-tests %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
fail() { printf '\n[container-tests %s] FAILED: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || fail "needs root (rootful podman)"
if ! command -v podman >/dev/null; then
  step "installing podman"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman >/dev/null
fi
deploy/images/podman-setup.sh

if [[ -z ${GITCRQ_KAFKA_IMAGE:-} || -z ${GITCRQ_POSTGRES_IMAGE:-} ]]; then
  step "the stand-ins for apache/kafka:4.2.1 and postgres:17 (build-standins.sh)"
  mapfile -t standins < <(deploy/images/build-standins.sh)
  ((${#standins[@]} == 2)) || fail "build-standins.sh"
  export GITCRQ_KAFKA_IMAGE=${GITCRQ_KAFKA_IMAGE:-${standins[0]}}
  export GITCRQ_POSTGRES_IMAGE=${GITCRQ_POSTGRES_IMAGE:-${standins[1]}}
fi
echo "GITCRQ_KAFKA_IMAGE=$GITCRQ_KAFKA_IMAGE GITCRQ_POSTGRES_IMAGE=$GITCRQ_POSTGRES_IMAGE"

rm -rf "$RUN"
mkdir -p "$RUN"
SOCKET="$RUN/podman.sock"
export DOCKER_HOST="unix://$SOCKET"
leftovers() { podman ps -aq --filter label=io.gitcrq.test; }
teardown() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  left=$(leftovers)
  if [[ -n $left ]]; then
    step "removing containers a test JVM left: $(echo "$left" | tr '\n' ' ')"
    echo "$left" | xargs -r podman rm -f -t 5 >/dev/null 2>&1
  fi
  podman_api_stop
  rm -rf "$RUN"
  if ((rc == 0)); then step "PASSED"; else step "exit code $rc"; fi
  exit "$rc"
}
trap teardown EXIT
trap 'exit 130' INT TERM

[[ -z $(leftovers) ]] || fail "containers labelled io.gitcrq.test exist already (another run?): podman ps -a --filter label=io.gitcrq.test"
step "podman's Docker API for Testcontainers at $SOCKET"
podman_api_start "$SOCKET" "$RUN/podman-service.log" || fail "podman's API"

export GITCRQ_TEST_INFRASTRUCTURE=containers TESTCONTAINERS_RYUK_DISABLED=true
step "building what the tests use (mvn install -DskipTests)"
mvn -B -q install -DskipTests >&2
args=("$@")
((${#args[@]})) || args=(-pl "$MODULES")
step "mvn verify ${args[*]} against containers"
set +e
mvn -B verify -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false "${args[@]}" | tee "$RUN/../container-tests.log"
rc=${PIPESTATUS[0]}
set -e
step "what the tests ran against"
grep -a '^gitcrq test infrastructure:' "$RUN/../container-tests.log" | sed -E 's/ at [^ ]+ \(container [0-9a-f]+\)$//' |
  sort | uniq -c
grep -a -E '^\[INFO\] Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$' "$RUN/../container-tests.log" |
  awk -F'[ ,]+' '{n+=$4; f+=$6+$8; s+=$10} END {printf "tests: %d run, %d failed or in error, %d skipped\n", n, f, s}'
if grep -aq '^gitcrq test infrastructure: local' "$RUN/../container-tests.log"; then
  fail "a test JVM ran against the local infrastructure"
fi
exit "$rc"
