#!/bin/sh
# A CI job for a project that keeps its experiments as dlx specs: validate every spec, train a
# short one, check that it reproduces bit for bit, and gate on a metric.
#
#   examples/ci/check.sh                       # from the repository root
#   SPEC=configs/wine-adagrad.yaml MIN=0.95 examples/ci/check.sh
#
# Settings (environment): DLX (how to run dlx; default: node bin/dlx.js), SPECS (the specs to
# validate; default: configs/*.yaml), SPEC (the spec to train; default: configs/quickstart.yaml),
# SPLIT (default: val), METRIC (a key of `dlx eval --json`: accuracy, loss, r2, mae…; default
# accuracy), MIN or MAX (the gate: the metric must be ≥ MIN or ≤ MAX; default MIN=0.9).
#
# Exit codes: 0 every step passed; dlx's own code when a step fails (2 a bad spec, 3 bad data,
# 4 diverged, 1 the run did not reproduce); 10 the metric missed the gate.
set -eu

DLX=${DLX:-node bin/dlx.js}
SPECS=${SPECS:-configs/*.yaml}
SPEC=${SPEC:-configs/quickstart.yaml}
SPLIT=${SPLIT:-val}
METRIC=${METRIC:-accuracy}
MIN=${MIN:-}
MAX=${MAX:-}
if [ -z "$MIN" ] && [ -z "$MAX" ]; then MIN=0.9; fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

step() { echo "ci: $*" >&2; }

step "validate $SPECS"
# shellcheck disable=SC2086 # SPECS is a glob on purpose
$DLX validate $SPECS

step "train $SPEC"
$DLX train "$SPEC" --runs-dir "$work/runs" --json > "$work/train.jsonl"
run=$(node -e 'const l = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n"); process.stdout.write(JSON.parse(l[l.length - 1]).runDir)' "$work/train.jsonl")

step "reproduce $run"
$DLX reproduce "$run" >&2

step "eval $run on $SPLIT: $METRIC must be ${MIN:+≥ $MIN}${MAX:+≤ $MAX}"
$DLX eval "$run" --split "$SPLIT" --json > "$work/eval.json"
node -e '
const [file, metric, min, max] = process.argv.slice(1);
const value = JSON.parse(require("fs").readFileSync(file, "utf8"))[metric];
if (typeof value !== "number") { console.error(`ci: dlx eval has no numeric ${metric}`); process.exit(10); }
const ok = (min === "" || value >= Number(min)) && (max === "" || value <= Number(max));
console.log(`${metric} ${value}`);
if (!ok) { console.error(`ci: ${metric} ${value} misses the gate ${min !== "" ? "≥ " + min : ""}${max !== "" ? "≤ " + max : ""}`); process.exit(10); }
' "$work/eval.json" "$METRIC" "$MIN" "$MAX"
