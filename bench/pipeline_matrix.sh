#!/usr/bin/env bash
# The full question-answering pipeline (nldb eval --support retrieved) on
# held-out wording and names, at several database sizes: support-set recall and
# EM with an oracle reader (--spj gold: retrieval alone) and with the built-in
# reader (--spj model), with latency by stage. Prints one line per cell.
#   bench/pipeline_matrix.sh [build/nldb]
set -euo pipefail
nldb=${1:-build/nldb}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for cell in "25 50" "1000 10" "10000 4" "100000 1"; do
  read -r facts dbs <<<"$cell"
  "$nldb" gen --dbs "$dbs" --facts "$facts" --seed 21 --templates heldout --out "$tmp/d.jsonl" >/dev/null
  for spj in gold model; do
    "$nldb" eval "$tmp/d.jsonl" --support retrieved --spj "$spj" --json >"$tmp/eval.json"
    python3 - "$facts" "$dbs" "$spj" "$tmp/eval.json" <<'PY'
import json, sys
facts, dbs, spj, path = sys.argv[1:]
e = json.load(open(path))
recall = " ".join(f"{k}:{v:.3f}" for k, v in e["support_recall"]["by_size"].items())
lat = e["latency_ms"]
types = " ".join(f"{k}:{v['em']:.2f}" for k, v in e["by_type"].items())
print(f"{int(facts):>7,} facts x {dbs:>2} dbs, spj {spj:5}: {e['n']:>4} queries  EM {e['em']:.3f}  "
      f"recall {recall}  p50 {lat['p50']:.1f} ms p99 {lat['p99']:.1f} ms "
      f"(retrieve {lat['retrieve']['p50']:.1f}/{lat['retrieve']['p99']:.1f}, "
      f"spj {lat['spj']['p50']:.1f}/{lat['spj']['p99']:.1f})  [{types}]")
PY
  done
done
