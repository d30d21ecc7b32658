#!/usr/bin/env bash
# Aggregation on gold derivations (nldb eval --spj gold) over generated data of
# every size and template split: the acceptance matrix of the generator and
# the aggregation operators. Prints one line per cell.
#   bench/gold_matrix.sh [build/nldb]
set -euo pipefail
nldb=${1:-build/nldb}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for split in train heldout all; do
  for cell in "25 400" "1000 100" "10000 20" "100000 4" "1000000 1"; do
    read -r facts dbs <<<"$cell"
    "$nldb" gen --dbs "$dbs" --facts "$facts" --seed 11 --templates "$split" --out "$tmp/d.jsonl" --json >"$tmp/gen.json"
    "$nldb" eval "$tmp/d.jsonl" --spj gold --json >"$tmp/eval.json"
    python3 - "$split" "$facts" "$dbs" "$tmp" <<'PY'
import json, sys
split, facts, dbs, tmp = sys.argv[1:]
g = json.load(open(f"{tmp}/gen.json")); e = json.load(open(f"{tmp}/eval.json"))
types = " ".join(f"{k}:{v['n']}" for k, v in e["by_type"].items())
print(f"{split:8} {int(facts):>9,} facts x {dbs:>3} dbs: {e['n']:>5} queries  EM {e['em']:.3f}  "
      f"F1 {e['f1']:.3f}  [{types}]  gen {g['facts_per_s']:,.0f} facts/s")
PY
  done
done
