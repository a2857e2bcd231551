#!/usr/bin/env bash
# polling-events benchmark: one command from the repository root.
#   bench/run.sh            full run (about 9 minutes on 2 cores)
#   bench/run.sh --quick    smaller sizes, about 3 minutes
#   bench/run.sh --only=a   only the single-poll comparison (or --only=b: many resources)
# Builds offline when target/ is missing or older than the sources, then runs io.pollingevents.bench.BenchMain
# from the test classes on the jar's runtime classpath. Results: the printed table and target/bench/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=target/bench/.build-stamp
needs_build=0
if [[ ! -f target/runtime-classpath.txt || ! -f target/test-classes/io/pollingevents/bench/BenchMain.class || ! -f $stamp ]]; then
  needs_build=1
elif [[ -n "$(find src routes elements pom.xml bench -newer "$stamp" -type f -print -quit)" ]]; then
  needs_build=1
fi
if [[ $needs_build == 1 ]]; then
  echo "building: mvn -q -B -DskipTests package"
  mvn -q -B -DskipTests package
  mkdir -p target/bench && touch "$stamp"
fi

CP="target/test-classes:target/classes:$(cat target/runtime-classpath.txt)"
exec java -Xmx256m -cp "$CP" io.pollingevents.bench.BenchMain "$@"
