#!/usr/bin/env bash
# gitcrq's benchmarks, each against a reference measured in the same run (see README, "Benchmarks").
#   bench/run.sh        (./gitcrq bench)      P2, P4, P5, then P3, P6 and P1, then a summary table
#   bench/run.sh p2     (./gitcrq bench p2)   history scan only;   bench/run.sh p4   hook cost only
#   bench/run.sh p3     (./gitcrq bench p3)   approval -> merge latency on the real platform (builds the services)
#   bench/run.sh p1     (./gitcrq bench p1)   audit events/s, agent's outbox -> audit-collector's row, against COPY (builds the services)
#   bench/run.sh p5     (./gitcrq bench p5)   wall-time overhead of process + file auditing on a make -j2 build
#   bench/run.sh p6     (./gitcrq bench p6)   gitcrq crq show (./gitcrq) against curl of the same REST call (builds the services)
# Settings (environment):
#   GITCRQ_BENCH_COMMITS=200000      size of P2's generated history (made once, kept in .gitcrq-run/bench/)
#   GITCRQ_BENCH_ROUNDS=5            P2 timed rounds (median reported), after the warm-up
#   GITCRQ_BENCH_WARMUP_COMMITS=200000  P2 warms each pass up until it went through this many commits
#   GITCRQ_BENCH_HOOK_CALLS=30       P4 direct calls per hook and message
#   GITCRQ_BENCH_COMMIT_ROUNDS=5     P4 real git commits per hook
#   GITCRQ_BENCH_CRQS=200            P3 CRQs approved one at a time; GITCRQ_BENCH_REF_MERGES=20 merges by hand
#   GITCRQ_BENCH_AUDIT_EVENTS=20000  P1 audit events through the pipeline (and COPYed)
#   GITCRQ_BENCH_AUDIT_WARMUP=200000 P1 events through the pipeline first, untimed (default: ten times the run)
#   GITCRQ_BENCH_AUDIT_ROUNDS=5      P1 timed rounds, each on a host of its own (median reported)
#   GITCRQ_BENCH_BUILD_FILES=600     P5 C files in the generated project; GITCRQ_BENCH_BUILD_ROUNDS=3 builds of each kind
#   GITCRQ_BENCH_CLI_CALLS=30        P6 timed calls of ./gitcrq crq show and of curl
#   GITCRQ_BENCH_SKIP_BUILD=1        use what is built instead of running mvn first
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
WHICH=${1:-all}
case "$WHICH" in
  all|p1|p2|p3|p4|p5|p6) ;;
  -h|--help|help) awk 'NR > 1 && !/^#/ {exit} NR > 1' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "usage: ./gitcrq bench [p1|p2|p3|p4|p5|p6]" >&2; exit 2 ;;
esac
COMMITS=${GITCRQ_BENCH_COMMITS:-200000}
[[ "$COMMITS" =~ ^[0-9]+$ ]] || { echo "GITCRQ_BENCH_COMMITS must be a number, not '$COMMITS'" >&2; exit 2; }
STATE="$ROOT/.gitcrq-run/bench"
mkdir -p "$STATE"

if [[ "${GITCRQ_BENCH_SKIP_BUILD:-}" != 1 ]]; then
  # P3, P6 and P1 run the services' jars; P2, P4 and P5 need only the CLI and the bench module.
  modules=(-pl cli,bench -am)
  [[ "$WHICH" == all || "$WHICH" == p3 || "$WHICH" == p6 || "$WHICH" == p1 ]] && modules=()
  echo "building (mvn ${modules[*]} install -DskipTests) …" >&2
  # Offline first: everything is usually in the local repository already.
  mvn -B -q -o "${modules[@]}" install -DskipTests >"$STATE/build.log" 2>&1 || {
    echo "offline build failed (see $STATE/build.log); trying online …" >&2
    mvn -B -q "${modules[@]}" install -DskipTests >&2
  }
fi
CP="bench/target/classes:$(cat bench/target/bench.classpath)"
# This run's summary rows (one file per run, so runs side by side do not mix their rows).
SUMMARY=$(mktemp "$STATE/summary.XXXXXX")
trap 'rm -f "$SUMMARY"' EXIT
# JGit logs through SLF4J; no provider is on the bench classpath, and SLF4J need not say so.
JAVA=(java -Dslf4j.internal.verbosity=ERROR -Dgitcrq.bench.summary="$SUMMARY" -cp "$CP")

p2() {
  local version repo
  version=$(java -cp bench/target/classes io.gitcrq.bench.MakeHistory --version)
  repo="$STATE/history-v$version-$COMMITS"
  if [[ ! -f "$repo/gitcrq-bench.properties" ]]; then
    echo "generating the $COMMITS-commit repository once (kept in $repo) …" >&2
    rm -rf "$repo" "$repo.tmp"
    bench/make-history.sh "$COMMITS" "$repo.tmp"
    mv "$repo.tmp" "$repo"
  fi
  "${JAVA[@]}" io.gitcrq.bench.HistoryScanBench "$repo"
}

p3() {
  "${JAVA[@]}" io.gitcrq.bench.MergeLatencyBench "$ROOT" "$STATE"
}

p4() {
  "${JAVA[@]}" io.gitcrq.bench.HookCostBench cli/target/gitcrq-cli.jar "$STATE/p4"
}

p6() {
  "${JAVA[@]}" io.gitcrq.bench.CliStartBench "$ROOT" "$STATE"
}

p1() {
  # The bench plays exec-agent's side (numbering, signing, outbox inserts): its JVM runs as deploy's Platform runs
  # exec-agent (Platform.jvmOptions: serial GC, 384 MB heap, C2 since exec-agent carries the audit trail).
  java -XX:+UseSerialGC -Xmx384m "${JAVA[@]:1}" io.gitcrq.bench.AuditThroughputBench "$ROOT" "$STATE"
}

p5() {
  "${JAVA[@]}" io.gitcrq.bench.BuildAuditBench "$STATE"
}

echo "gitcrq bench: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(uname -sr), $(java -version 2>&1 | head -1), $(git --version)"
case "$WHICH" in
  all) p2; echo; p4; echo; p5; echo; p3; echo; p6; echo; p1 ;;
  p1) p1 ;;
  p2) p2 ;;
  p3) p3 ;;
  p4) p4 ;;
  p5) p5 ;;
  p6) p6 ;;
esac

echo
echo "summary (ratio: gitcrq against the reference measured in this run)"
{ printf 'benchmark\tgitcrq\treference\tratio\taim\n'; cat "$SUMMARY"; } | column -t -s $'\t'
