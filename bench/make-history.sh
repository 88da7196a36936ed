#!/usr/bin/env bash
# Makes the P2 benchmark's repository: bench/make-history.sh N DIR creates a bare repository of exactly N commits
# in DIR with git fast-import (deterministic; see io.gitcrq.bench.MakeHistory), then packs it with git gc.
# Needs the bench module built (bench/run.sh builds it; or mvn -pl bench -am install -DskipTests).
set -euo pipefail
[[ $# -eq 2 ]] || { echo "usage: bench/make-history.sh N DIR" >&2; exit 2; }
BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[[ -f "$BENCH/target/bench.classpath" ]] || {
  echo "the bench module is not built: mvn -B -q -pl bench -am install -DskipTests" >&2; exit 3; }
exec java -cp "$BENCH/target/classes:$(cat "$BENCH/target/bench.classpath")" io.gitcrq.bench.MakeHistory "$1" "$2"
