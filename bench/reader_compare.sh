#!/usr/bin/env bash
# Readers side by side, on the same files, in the same build: the figures a
# reader is judged by before it is shipped (docs/experiments.md). For each
# reader folder, one line per cell with EM (and NULL precision / recall where
# non-answering sets are read):
#   gold-1001, gold-3001  held-out wording and names, gold support sets
#   distract              the same (seed 1001) with 1-3 distractor facts a set
#   nulls                 the same with 3 non-answering sets a question
#   kelm-gold, kelm-pipe  ../shared/data/kelm10/dev.jsonl, gold sets / retrieved
#   pipe-25, pipe-1k-21, pipe-1k-22, pipe-10k
#                         whole held-out databases through the pipeline
#   bench/reader_compare.sh [--quick] MODEL_DIR [MODEL_DIR ...]
# --quick leaves out pipe-10k (the slowest cell). NLDB (default build/nldb)
# is the binary; KELM the kelm10 dev file.
set -euo pipefail
cd "$(dirname "$0")/.."
nldb=${NLDB:-build/nldb}
kelm=${KELM:-../shared/data/kelm10/dev.jsonl}
quick=0
if [ "${1:-}" = --quick ]; then quick=1; shift; fi
[ $# -gt 0 ] || { echo "usage: bench/reader_compare.sh [--quick] MODEL_DIR..." >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

gen() {  # name dbs facts seed
  "$nldb" gen --dbs "$2" --facts "$3" --seed "$4" --templates heldout --out "$tmp/$1.jsonl" \
    >/dev/null 2>&1
}
gen gold-1001 100 200 1001
gen gold-3001 100 200 3001
gen pipe-25 50 25 21
gen pipe-1k-21 10 1000 21
gen pipe-1k-22 30 1000 22
[ $quick = 1 ] || gen pipe-10k 4 10000 21

cell() {  # model name file [eval options...]
  local model=$1 name=$2 file=$3
  shift 3
  local start=$SECONDS
  "$nldb" eval "$file" --spj model --model "$model" --json "$@" 2>/dev/null >"$tmp/r.json"
  python3 - "$model" "$name" "$tmp/r.json" "$((SECONDS - start))" <<'PY'
import json, sys
model, name, path, secs = sys.argv[1:]
r = json.load(open(path))
s = r["support_sets"]
nulls = (f"  NULL p/r {s['null_precision']:.3f}/{s['null_recall']:.3f}"
         if name in ("nulls", "kelm-pipe") or name.startswith("pipe")
         else "")
print(f"{model:28} {name:11} EM {r['em']:.4f}  n {r['n']:5}  wrong type {r['wrong_type']:3}"
      f"  false NULL {s['errors']['false_null']:5}  wrong {s['errors']['wrong_answer']:4}{nulls}"
      f"  ({secs} s)", flush=True)
PY
}

for model in "$@"; do
  cell "$model" gold-1001 "$tmp/gold-1001.jsonl"
  cell "$model" gold-3001 "$tmp/gold-3001.jsonl"
  cell "$model" distract "$tmp/gold-1001.jsonl" --distractors 3
  cell "$model" nulls "$tmp/gold-1001.jsonl" --negatives 3
  cell "$model" kelm-gold "$kelm"
  cell "$model" kelm-pipe "$kelm" --support retrieved
  for p in pipe-25 pipe-1k-21 pipe-1k-22 pipe-10k; do
    [ -f "$tmp/$p.jsonl" ] && cell "$model" "$p" "$tmp/$p.jsonl" --support retrieved
  done
done
