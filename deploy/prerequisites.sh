#!/usr/bin/env bash
# What gitcrq needs on a machine, checked (and, where we are root, provided) before it starts or tests:
# Java 17+, Maven, git, tmux, what builds the process audit source's eBPF program (make, gcc, clang, bpftool,
# libbpf-dev, libelf-dev, zlib1g-dev), and a PostgreSQL with wal_level=logical (the Debezium outbox relay reads the WAL);
# the Gemini CLI (@google/gemini-cli, pinned) that launch profiles run, installed with npm into .gitcrq-run/tools
# (./gitcrq puts its bin directory on the PATH of the platform and of the tests); for the tests also playwright-core
# there and Debian's Chromium, which the console's browser tests drive; asciinema-player, which the console's build
# bundles to play recordings in its exec page.
#   deploy/prerequisites.sh [test]     check, fix wal_level, install missing tools when root (the tests need the
#                                      machine's PostgreSQL)
#   deploy/prerequisites.sh up         the same, but a platform needs no PostgreSQL server where ./gitcrq up starts an
#                                      embedded one: GITCRQ_DB=embedded, or GITCRQ_DB unset and none answers
set -euo pipefail
PURPOSE=${1:-test}

DB_HOST=${GITCRQ_DB_HOST:-127.0.0.1}
DB_PORT=${GITCRQ_DB_PORT:-5432}
DB_USER=${GITCRQ_DB_USER:-postgres}
TOOLS=(git tmux)

# Installs Debian packages when we are root on a Debian machine, else says what to install and stops.
#   apt_install "WHAT THEY ARE FOR" PACKAGE…
apt_install() {
  local why=$1
  shift
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "installing $* ($why) …" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    echo "gitcrq needs $* ($why): e.g. sudo apt-get install $*" >&2
    exit 1
  fi
}

missing=()
for tool in "${TOOLS[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
((${#missing[@]} == 0)) || apt_install "gitcrq's own tools" "${missing[@]}"
# gitcrq-proctrace, the process audit source's eBPF program and reader, is built with audit-sources (its src/main/native).
if command -v dpkg >/dev/null; then
  missing=()
  for pkg in make gcc clang bpftool libbpf-dev libelf-dev zlib1g-dev; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  ((${#missing[@]} == 0)) || apt_install "to build the process audit source's eBPF program" "${missing[@]}"
fi
# The process audit source's eBPF program (gitcrq-proctrace) attaches to tracepoints, which needs tracefs; without
# it the source uses strace.
if [[ $(id -u) -eq 0 && ! -e /sys/kernel/tracing/events ]]; then
  mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || true
fi
# Whether a server accepts connections at the database address (bash's /dev/tcp: no psql needed to ask).
db_answers() { (exec 3<>"/dev/tcp/$DB_HOST/$DB_PORT") 2>/dev/null; }

case "${GITCRQ_DB:-}" in
  embedded) EMBEDDED_DB=yes ;;
  external) EMBEDDED_DB=no ;;
  "") if [[ $PURPOSE == up ]] && ! db_answers; then EMBEDDED_DB=yes; else EMBEDDED_DB=no; fi ;;
  *) echo "GITCRQ_DB is '$GITCRQ_DB': use embedded, external, or leave it unset" >&2; exit 1 ;;
esac
if [[ $PURPOSE == test ]]; then
  EMBEDDED_DB=no # the tests make their databases on the machine's server
fi

DB_TOOLS=(psql)
[[ $EMBEDDED_DB == yes ]] && DB_TOOLS=()
for tool in java mvn "${DB_TOOLS[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || { echo "gitcrq needs $tool on the PATH" >&2; exit 1; }
done

GEMINI_CLI_VERSION=0.61.0
# playwright-core drives Debian's Chromium in the console's browser tests (it never downloads a browser).
PLAYWRIGHT_CORE_VERSION=1.65.1
# asciinema-player plays recordings in the console's exec page; the console's build bundles it from here.
ASCIINEMA_PLAYER_VERSION=3.18.0
TOOLS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.gitcrq-run/tools"
npm_packages=()
if ! grep -qs "\"version\": \"$ASCIINEMA_PLAYER_VERSION\"" "$TOOLS_DIR/node_modules/asciinema-player/package.json"; then
  npm_packages+=("asciinema-player@$ASCIINEMA_PLAYER_VERSION")
fi
if [[ "$("$TOOLS_DIR/node_modules/.bin/gemini" --version 2>/dev/null)" != "$GEMINI_CLI_VERSION" ]]; then
  npm_packages+=("@google/gemini-cli@$GEMINI_CLI_VERSION")
fi
if [[ $PURPOSE == test ]] \
  && ! grep -qs "\"version\": \"$PLAYWRIGHT_CORE_VERSION\"" "$TOOLS_DIR/node_modules/playwright-core/package.json"; then
  npm_packages+=("playwright-core@$PLAYWRIGHT_CORE_VERSION")
fi
if ((${#npm_packages[@]})); then
  command -v npm >/dev/null 2>&1 || apt_install "npm installs the Gemini CLI" nodejs npm
  echo "installing ${npm_packages[*]} into $TOOLS_DIR …" >&2
  mkdir -p "$TOOLS_DIR"
  npm install --prefix "$TOOLS_DIR" --no-audit --no-fund --loglevel=error "${npm_packages[@]}" >&2
fi
if [[ $PURPOSE == test ]] && ! command -v chromium >/dev/null 2>&1; then
  apt_install "the console's browser tests" chromium
fi

if [[ $EMBEDDED_DB == yes ]]; then
  exit 0 # ./gitcrq up starts PostgreSQL itself (logical WAL and all), under .gitcrq-run/postgres
fi

psql_q() { psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -Atqc "$1"; }

if ! psql_q "SELECT 1" >/dev/null 2>&1; then
  echo "PostgreSQL is not reachable at $DB_HOST:$DB_PORT as $DB_USER (set GITCRQ_DB_HOST/PORT/USER)" >&2
  exit 1
fi
if [[ "$(psql_q 'SHOW wal_level')" != "logical" ]]; then
  clusters=(/etc/postgresql/*)
  if [[ $(id -u) -eq 0 && "$DB_HOST" == "127.0.0.1" && -d "${clusters[0]}" ]]; then
    echo "setting PostgreSQL wal_level=logical (needed by the outbox relay) and restarting it …" >&2
    psql_q "ALTER SYSTEM SET wal_level = logical" >/dev/null
    pg_ctlcluster --skip-systemctl-redirect "$(basename "${clusters[0]}")" main restart
    for _ in $(seq 1 30); do psql_q "SELECT 1" >/dev/null 2>&1 && break; sleep 1; done
  else
    echo "PostgreSQL at $DB_HOST:$DB_PORT needs wal_level=logical: ALTER SYSTEM SET wal_level = logical; then restart it" >&2
    exit 1
  fi
fi
