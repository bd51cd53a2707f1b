#!/usr/bin/env bash
# Proves a refactor: builds biaslens at a base revision and from the working tree, runs both
# on the same corpora, and compares every file they write, byte for byte.
#
#   tests/same-output.sh [BASE_REV]          (default: HEAD, i.e. the last commit vs your edits)
#
# Corpora: the shipped sample (data/digests), ../shared/real when present, and a generated
# corpus of about 10,000 digests (BENCH-like; SAME_OUTPUT_DAYS and SAME_OUTPUT_COPIES size it).
# Every stage runs: extract (single and partitioned), analyze by week and by month (and into
# partitions), the weekly report of a fixed week, the month comparison and the research
# export, all with a fixed generation time. Exit status 0 when every file is identical, 1 with the list of differing
# files otherwise. A change of output that is the point of a commit is named in that commit.
set -euo pipefail
root=$(git rev-parse --show-toplevel)
cd "$root"
base=${1:-HEAD}
work=${SAME_OUTPUT_DIR:-$(mktemp -d /tmp/same-output.XXXXXX)}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
mkdir -p "$work/bin"

echo "== build $base"
rm -rf "$work/base-src"
git worktree add --detach --force "$work/base-src" "$base" >/dev/null
# The base builds in a copy of the target dir: the two checkouts' crates have the same
# names and hashes, so in one target dir each build would overwrite the other's binary.
# The copy keeps the compiled dependencies, so only biaslens itself is compiled again.
if [ ! -d "$work/base-target" ]; then
  mkdir -p "$work/base-target"
  [ -d "$CARGO_TARGET_DIR/release" ] && cp -a "$CARGO_TARGET_DIR/release" "$work/base-target/"
fi
# A base binary built before for this commit (same SAME_OUTPUT_DIR) is reused.
base_bin="$work/bin/base-$(git rev-parse "$base")"
if [ ! -x "$base_bin" ]; then
  (cd "$work/base-src" && CARGO_TARGET_DIR="$work/base-target" cargo build --release --locked --quiet)
  cp "$work/base-target/release/biaslens" "$base_bin"
fi
cp "$base_bin" "$work/bin/base"
trap 'git worktree remove --force "$work/base-src"' EXIT
echo "== build the working tree"
cargo build --release --locked --quiet
cp "$CARGO_TARGET_DIR/release/biaslens" "$work/bin/new"

# Every timestamp biaslens writes (reports, exports) comes from here. Set after the builds:
# cargo would otherwise see a changed environment and rebuild.
export SOURCE_DATE_EPOCH=1769385600

echo "== corpora"
mkdir -p "$work/corpora"
rm -rf "$work/corpora/generated"
"$work/bin/base" generate --out "$work/corpora/generated" --days "${SAME_OUTPUT_DAYS:-730}" \
  --copies "${SAME_OUTPUT_COPIES:-4}" --min-articles 12 --max-articles 20 2>/dev/null
corpora=("sample=$root/data/digests" "generated=$work/corpora/generated")
[ -d "$root/../shared/real" ] && corpora+=("real=$(cd "$root/../shared/real" && pwd)")

# Runs every stage of one binary on one corpus, from its own checkout (its registry and lexicon).
stages() {
  local bin=$1 input=$2 out=$3
  cd "$4"
  rm -rf "$out"; mkdir -p "$out"
  "$bin" extract --input "$input" --out "$out/tables" >/dev/null 2>&1 || true
  "$bin" extract --input "$input" --out "$out/ptables" --partitioned >/dev/null 2>&1 || true
  "$bin" analyze --tables "$out/tables" --out "$out/analysis-week" >/dev/null 2>&1
  "$bin" analyze --tables "$out/tables" --out "$out/analysis-month" --period month >/dev/null 2>&1
  "$bin" analyze --tables "$out/ptables" --out "$out/panalysis" >/dev/null 2>&1
  # The partitioned analysis, where the binary has it (a base without it shows as a change).
  if "$bin" analyze --help 2>/dev/null | grep -q -- --partitioned; then
    "$bin" analyze --tables "$out/ptables" --out "$out/panalysis-partitioned" --partitioned >/dev/null 2>&1
  fi
  "$bin" report --tables "$out/tables" --out "$out/reports" >/dev/null 2>&1
  local months
  months=$(python3 - "$out/tables/digests.csv" <<'EOF'
import csv, sys
ms = sorted({r["digest_date"][:7] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))})
print(",".join(ms[-3:]))
EOF
)
  [ -n "$months" ] && "$bin" compare --months "$months" --tables "$out/tables" --out "$out/reports" >/dev/null 2>&1
  "$bin" export --tables "$out/tables" --out "$out/export" >/dev/null 2>&1
  # The states stamp the table files' mtimes and the lock names the pid: they differ between
  # any two runs by design.
  find "$out" \( -name '.biaslens-state*' -o -name '.biaslens-analysis.json' -o -name '.biaslens.lock' \) -delete
  cd "$root"
}

status=0
for c in "${corpora[@]}"; do
  name=${c%%=*} input=${c#*=}
  echo "== $name"
  # Both write to the same path (exports name their tables folder), then move aside.
  mkdir -p "$work/out/base" "$work/out/new"
  for side in base new; do
    src=$root; [ $side = base ] && src=$work/base-src
    stages "$work/bin/$side" "$input" "$work/run/$name" "$src"
    rm -rf "$work/out/$side/$name"; mv "$work/run/$name" "$work/out/$side/$name"
  done
  if diff -rq "$work/out/base/$name" "$work/out/new/$name"; then
    echo "   identical: $(find "$work/out/new/$name" -type f | wc -l) files"
  else
    status=1
  fi
done
echo "outputs kept in $work/out"
exit $status
