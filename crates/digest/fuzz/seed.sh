#!/usr/bin/env bash
# Seeds the fuzz corpora (crates/digest/fuzz/corpus/<target>/) from real and generated
# digests: the reference and ../shared/real when present, the fixtures and the sample.
# The corpora are not committed; run this once before `cargo +nightly fuzz run <target>`.
set -euo pipefail
fuzz=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$fuzz/../../.." && pwd)
mkdir -p "$fuzz/corpus/digest" "$fuzz/corpus/frontmatter" "$fuzz/corpus/source_line"
sources=("$root/tests/fixtures" "$root/data/digests")
[ -d "$root/../shared/real" ] && sources+=("$root/../shared/real")
n=0
while IFS= read -r -d '' f; do
  name=$(sha256sum "$f" | cut -c1-16)
  cp "$f" "$fuzz/corpus/digest/$name"
  cp "$f" "$fuzz/corpus/frontmatter/$name"
  n=$((n + 1))
done < <(find "${sources[@]}" -name '*.md' -size -64k -print0)
# One seed per distinct shape of source line (the first 400 lines of the list).
find "${sources[@]}" -name '*.md' -print0 | xargs -0 grep -h '^[0-9]*\. ' | awk 'NR <= 400' |
  while IFS= read -r line; do printf '%s' "$line" > "$fuzz/corpus/source_line/$(printf '%s' "$line" | sha256sum | cut -c1-16)"; done
echo "seeded $n digests and $(ls "$fuzz/corpus/source_line" | wc -l) source lines"
