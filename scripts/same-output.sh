#!/usr/bin/env bash
# same-output.sh OLD_BIN NEW_BIN
#
# Proves that a change "changes no behaviour: every output stays byte for
# byte what it is today": runs two ccsim binaries (say, one built from main
# and one from the refactoring branch) on the same inputs and exits 0 only
# when every output is byte-identical.
#
#   scripts/same-output.sh /work/base/target/release/ccsim target/release/ccsim
#
# What it runs, each binary in a directory of its own under one `mktemp -d`
# (removed on exit), with the same relative output paths, `--threads 2` and
# fixed seeds, for every scenario in `scenarios/*.toml` and
# `tests/scenarios/*.toml` (the scenarios embedded in the tests, plus
# hand-written ones that together use every key of the README's scenario
# reference; see tests/scenarios/README.md):
#   - `check FILE`;
#   - `run -r R --out DIR --json` (stdout JSON, summary.csv,
#     replications.csv, intervals.csv, the list of files in DIR) and `run`'s
#     plain table;
#   - `compare` with variants that change something the scenario has (or
#     other scenario files), `--out`/`--json` (compare.csv) and the table;
#   - `sweep --vary ...`, `--out`/`--json` (sweep.csv) and the table;
#   - `run --shard I/N --out D` for every shard (the shard files compared
#     with `ccsim_build` and `checksum` masked, as both change with the
#     build; the rest of each file exactly, and NEW's merge of its own
#     shards must succeed as OLD's does), then `merge D --out M --json`
#     and `merge D` (merged CSVs, JSON and table exactly), and NEW merging
#     OLD's shards against OLD doing it (its "other build" note dropped);
#   - HTML reports of run, compare, sweep and merge: INFO only, never a
#     failure (the HTML is being restructured).
# Then: `run` with every documented `--set` form, shards split 3 ways with a
# `--set`, `compare --independent`, `run -r 1` (undefined CIs), two files
# compared; `validate --quick --out` (stdout with its elapsed time masked,
# and validation.csv); `erlang`; `--help` of every subcommand and
# `--version` (build id masked); and every error path: each
# `tests/bad/*.toml` through `check` and `run --out`, bad `--set`s,
# variants, sweeps and shard options, and merges of missing, damaged and
# foreign shards.
#
# Every "stdout" check compares stdout, the exit code and stderr together.
# OLD must also exit as the check expects (0, or 2 for the error cases);
# otherwise the line says BAD (the check would prove nothing) and counts as
# a failure.
#
# Output: one line per check, `same  LABEL`, or `DIFF  LABEL` followed by
# the head of a unified diff (old -> new); `INFO  LABEL` for the HTML
# reports; and a final count line. Exit status: 0 every output identical;
# 1 a DIFF or BAD; 2 bad usage.
#
# It can fail (checked with scripts/same-output-selftest.sh):
#   - OLD = NEW = the base binary: every check `same`, exit 0;
#   - NEW = a wrapper that runs the base binary with an extra `--seed 99`
#     on run/compare/sweep/validate: DIFF on every seeded output, exit 1;
#   - NEW = a wrapper that changes one digit of one summary.csv of one
#     scenario: exactly one DIFF, exit 1.
#
# Both builds must number shards from 1 (shard format version 2): a build
# from before that reads `--shard` and shard files otherwise, so the shard
# checks cannot compare across that change.
#
# With release binaries on two cores it takes about 30 s when the machine
# is otherwise idle (up to 1.5 min when it is shared). SAME_OUTPUT_KEEP=1
# keeps the outputs of both binaries (under old/ and new/ of the directory
# it names) to look into a DIFF.

set -euo pipefail

usage() {
  echo "usage: $0 OLD_BIN NEW_BIN" >&2
  exit 2
}
[[ $# -eq 2 ]] || usage

binary() {
  local b=$1
  if [[ $b != */* ]]; then
    b=$(command -v "$b") || { echo "same-output: $1: not found" >&2; exit 2; }
  fi
  [[ -f $b && -x $b ]] || { echo "same-output: $1: not an executable file" >&2; exit 2; }
  (cd "$(dirname "$b")" && printf '%s/%s\n' "$PWD" "$(basename "$b")")
}
OLD=$(binary "$1")
NEW=$(binary "$2")

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
THREADS=(--threads 2)
START=$SECONDS

WORK=$(mktemp -d "${TMPDIR:-/tmp}/same-output.XXXXXX")
if [[ ${SAME_OUTPUT_KEEP:-} == 1 ]]; then
  trap 'echo "same-output: outputs kept in $WORK/old and $WORK/new" >&2' EXIT
else
  trap 'rm -rf "$WORK"' EXIT
fi
mkdir -p "$WORK/old" "$WORK/new"

n_same=0
n_diff=0
n_bad=0
n_info=0

# ---------------------------------------------------------------- reporting

# Masks the two shard-file header fields that follow the build.
mask_shard() {
  sed -E -e 's/^(  "ccsim_build": )"[^"]*"/\1"<build>"/' \
    -e 's/^(  "checksum": )"[^"]*"/\1"<checksum>"/'
}
# Masks the elapsed time on validate's last line: "(1 s, 15 replications".
mask_elapsed() {
  sed -E 's/\([0-9]+(\.[0-9]+)? ?m?s, ([0-9]+ replications)/(<elapsed>, \2/'
}
# Drops merge's note that the shards come from another build.
drop_build_note() {
  sed -e '/^note: the shards were simulated by ccsim build /d'
}
mask_build() {
  sed -E 's/\(build [0-9a-f]+\)/(build <build>)/'
}

# compare_files KIND LABEL REL [FILTER]: compares old/REL with new/REL
# (each through FILTER). KIND is "check" (counted) or "info" (HTML).
compare_files() {
  local kind=$1 label=$2 rel=$3 filter=${4:-cat}
  local a=$WORK/old/$rel b=$WORK/new/$rel
  local fa=$WORK/.a fb=$WORK/.b
  if [[ ! -f $a ]]; then
    if [[ $kind == info ]]; then
      echo "INFO  $label: OLD wrote no such file"
      n_info=$((n_info + 1))
    else
      echo "BAD   $label: OLD wrote no $rel, nothing to compare"
      n_bad=$((n_bad + 1))
    fi
    return
  fi
  if [[ -f $b ]]; then
    "$filter" <"$a" >"$fa"
    "$filter" <"$b" >"$fb"
  else
    "$filter" <"$a" >"$fa"
    printf 'NEW wrote no %s\n' "$rel" >"$fb"
  fi
  if cmp -s "$fa" "$fb"; then
    if [[ $kind == info ]]; then
      echo "INFO  $label: same"
      n_info=$((n_info + 1))
    else
      echo "same  $label"
      n_same=$((n_same + 1))
    fi
    return
  fi
  if [[ $kind == info ]]; then
    echo "INFO  $label: differs (not counted: the HTML is being restructured)"
    n_info=$((n_info + 1))
    return
  fi
  echo "DIFF  $label"
  n_diff=$((n_diff + 1))
  { diff -u --label "old/$rel" --label "new/$rel" "$fa" "$fb" || true; } |
    head -n 12 | cut -c 1-200 | sed 's/^/      /'
}

# both [-x CODE] [-f FILTER] [-q] LABEL DIR STEP ARG...: runs `OLD ARG...`
# in old/DIR and `NEW ARG...` in new/DIR (stdin empty), keeping
# DIR/STEP.out: stdout, then the exit code and stderr. Compares the two as
# the check "LABEL stdout" (through FILTER); OLD must exit CODE (default
# 0). With -q it only runs them (for the HTML reports, compared as INFO).
both() {
  local expect=0 filter=cat kind=check
  while [[ $1 == -* ]]; do
    case $1 in
      --) shift; break ;;
      -x) expect=$2; shift 2 ;;
      -f) filter=$2; shift 2 ;;
      -q) kind=none; shift ;;
      *) echo "same-output: both: bad option $1" >&2; exit 2 ;;
    esac
  done
  local label=$1 dir=$2 step=$3
  shift 3
  local side bin d rc old_rc=
  for side in old new; do
    if [[ $side == old ]]; then bin=$OLD; else bin=$NEW; fi
    d=$WORK/$side/$dir
    mkdir -p "$d"
    rc=0
    (cd "$d" && exec "$bin" "$@") </dev/null >"$d/$step.stdout" 2>"$d/$step.stderr" || rc=$?
    {
      cat "$d/$step.stdout"
      printf '\n==== exit %s; stderr:\n' "$rc"
      cat "$d/$step.stderr"
    } >"$d/$step.out"
    if [[ $side == old ]]; then old_rc=$rc; fi
  done
  if [[ $kind == none ]]; then
    return
  fi
  if [[ $old_rc != "$expect" ]]; then
    echo "BAD   $label: OLD exited $old_rc, expected $expect (nothing proved); its stderr:"
    head -n 5 "$WORK/old/$dir/$step.stderr" | sed 's/^/      /'
    n_bad=$((n_bad + 1))
    return
  fi
  compare_files "$kind" "$label stdout" "$dir/$step.out" "$filter"
}

# files LABEL DIR SUBDIR NAME...: compares each DIR/SUBDIR/NAME, and the
# list of files in DIR/SUBDIR.
files() {
  local label=$1 dir=$2 sub=$3
  shift 3
  local side name list=listings/${dir//\//_}__${sub//[\/.]/_}
  for side in old new; do
    mkdir -p "$WORK/$side/listings"
    if [[ -d $WORK/$side/$dir/$sub ]]; then
      (cd "$WORK/$side/$dir/$sub" && ls -A) >"$WORK/$side/$list"
    else
      echo "no directory $sub" >"$WORK/$side/$list"
    fi
  done
  compare_files check "$label files in $sub/" "$list"
  for name in "$@"; do
    compare_files check "$label $name" "$dir/$sub/$name"
  done
}

CSVS=(summary.csv replications.csv intervals.csv)

# ------------------------------------------------------------ per scenario

# plan STEM: the options used for one scenario.
#   R         -r for run, compare, sweep and shards (empty: the file's own)
#   LIGHT     --set options that shorten compare, sweep and the reports
#   VARIANTS  compare's arguments after the scenario: --variant specs and
#             other scenario files
#   VARY      sweep's --vary options
#   SHARDS    the number of shards (at most the replications)
plan() {
  local s=$REPO/tests/scenarios
  R=(-r 3)
  LIGHT=()
  SHARDS=2
  VARIANTS=(--variant "sl45:queues.0.service_level=45s" --variant "first:queues.0.priority=1")
  VARY=(--vary "queues.0.service_level=10s,60s")
  case $1 in
    retail-day)
      VARIANTS=(--variant early:queues.care.callback.offer_after=30s
        --variant back:queues.care.callback.position=back
        --variant "ewt:queues.care.callback.offer_after=,queues.care.callback.offer_if_ewt_over=2m")
      VARY=(--vary "queues.care.callback.offer_after=30s,60s,120s"
        --vary "queues.care.callback.position=keep,back") ;;
    two-skills)
      VARIANTS=(--variant "sales-cb:queues.sales.callback.offer_after=45s"
        --variant "no-cb:queues.support.callback="
        --variant "more:agents.cross-skilled.staffing=8")
      VARY=(--vary "agents.cross-skilled.staffing=3,8"
        --vary "queues.support.callback.position=keep,back") ;;
    steady-state)
      LIGHT=(--set horizon.open=50h)
      VARIANTS=(--variant more:agents.agents.staffing=104
        --variant patient:queues.main.patience.mean=5m)
      VARY=(--vary "agents.agents.staffing=96,100,104") ;;
    bench-erlang-a)
      R=(-r 2)
      LIGHT=(--set horizon.open=100h)
      VARIANTS=(--variant more:agents.agents.staffing=103)
      VARY=(--vary "queues.main.patience.mean=2m,4m") ;;
    bench-big-center)
      R=(-r 2)
      VARIANTS=(--variant back:queues.q00.callback.position=back
        --variant "none:queues.q04.callback=")
      VARY=(--vary "queues.q00.callback.accept_probability=0.2,0.8") ;;
    bad-input-valid-template | lib-doc-example)
      VARIANTS=(--variant more:agents.team.staffing=8 --variant sl45:queues.0.service_level=45s)
      VARY=(--vary "agents.team.staffing=3,7") ;;
    hw-callers-ahead-retries)
      R=()
      VARIANTS=(--variant ahead1:queues.billing.callback.offer_if_callers_ahead=1
        --variant keep:queues.billing.callback.position=keep
        --variant "no-expiry:queues.billing.callback.expire_after=")
      VARY=(--vary "queues.billing.callback.reach_probability=0.3,0.9"
        --vary "queues.billing.callback.max_attempts=1,3") ;;
    hw-every-distribution)
      VARIANTS=(--variant later:queues.erl.callback.offer_after=90s
        --variant "more:agents.everyone.staffing=9")
      VARY=(--vary "agents.everyone.staffing=6,9") ;;
    hw-three-queues-multiskill)
      R=()
      VARIANTS=(--variant ewt30:queues.sales.callback.offer_if_ewt_over=30s
        --variant vip-cb:queues.vip.callback.offer_after=20s
        --variant "flat:agents.sales floor.staffing=4")
      VARY=(--vary "queues.sales.callback.offer_if_ewt_over=30s,3m") ;;
    hw-trace-by-hand)
      R=()
      VARIANTS=(--variant back:queues.desk.callback.position=back
        --variant reach:queues.desk.callback.reach_probability=1)
      VARY=(--vary "queues.desk.callback.initial_delay=0s,3m") ;;
    memory-callback-expiry-25h)
      R=(-r 2)
      VARIANTS=(--variant "no-expiry:queues.q.callback.expire_after="
        --variant early:queues.q.callback.offer_after=5s)
      VARY=(--vary "queues.q.callback.accept_probability=0.2,0.8") ;;
    memory-callback-expiry-250h)
      R=(-r 2)
      LIGHT=(--set horizon.open=40h)
      VARIANTS=(--variant early:queues.q.callback.offer_after=5s)
      VARY=(--vary "queues.q.callback.accept_probability=0.2,0.8") ;;
    report-html-tiny-shop)
      R=()
      VARIANTS=("$s/report-html-tiny-shop-accept90.toml" "$s/report-html-tiny-shop-no-callbacks.toml")
      VARY=(--vary "queues.0.callback.accept_probability=0.5,0.9") ;;
    report-html-tiny-shop-one-replication)
      R=()
      SHARDS=1
      VARIANTS=(--variant "more:agents.0.staffing=5") ;;
    scenario-callback-defaults)
      VARIANTS=(--variant back:queues.q.callback.position=back
        --variant half:queues.q.callback.accept_probability=0.5)
      VARY=(--vary "queues.q.callback.accept_probability=0.5,1") ;;
    shard-small-day)
      R=()
      SHARDS=3
      VARIANTS=("$s/shard-small-day-accept06.toml" --variant more:agents.team.staffing=10)
      VARY=(--vary "queues.sales.callback.accept_probability=0.3,0.7") ;;
    shard-small-day-respelt | shard-small-day-accept06)
      R=() ;;
    theory-erlang-c-small-team)
      LIGHT=(--set horizon.open=50h)
      VARIANTS=(--variant more:agents.a.staffing=11 --variant "sl10:queues.q.service_level=10s")
      VARY=(--vary "agents.a.staffing=9,11") ;;
    theory-erlang-c-large-team)
      LIGHT=(--set horizon.open=50h)
      VARIANTS=(--variant more:agents.a.staffing=52 --variant "sl10:queues.q.service_level=10s")
      VARY=(--vary "queues.q.service_level=10s,30s") ;;
    theory-callback-keep | theory-callback-back)
      VARIANTS=(--variant back:queues.q.callback.position=back
        --variant keep:queues.q.callback.position=keep)
      VARY=(--vary "queues.q.callback.offer_after=20s,80s") ;;
  esac
}

# scenario FILE: every check of one scenario file.
scenario() {
  local file=$1
  local stem
  stem=$(basename "$file" .toml)
  # Outputs under the file's path in the repository: scenarios/NAME or
  # tests/scenarios/NAME.
  local d=${file#"$REPO"/} i
  d=${d%.toml}
  plan "$stem"

  both "check $stem" "$d" check check "$file"

  both "run $stem --json" "$d" run-json run "$file" ${R[@]+"${R[@]}"} "${THREADS[@]}" --out out --json
  files "run $stem" "$d" out "${CSVS[@]}"
  both "run $stem table" "$d" run-table run "$file" ${R[@]+"${R[@]}"} "${THREADS[@]}"

  both "compare $stem --json" "$d" compare-json compare "$file" "${VARIANTS[@]}" \
    ${R[@]+"${R[@]}"} ${LIGHT[@]+"${LIGHT[@]}"} "${THREADS[@]}" --out compare --json
  files "compare $stem" "$d" compare compare.csv
  both "compare $stem table" "$d" compare-table compare "$file" "${VARIANTS[@]}" \
    ${R[@]+"${R[@]}"} ${LIGHT[@]+"${LIGHT[@]}"} "${THREADS[@]}"

  both "sweep $stem --json" "$d" sweep-json sweep "$file" "${VARY[@]}" \
    ${R[@]+"${R[@]}"} ${LIGHT[@]+"${LIGHT[@]}"} --seed 5 "${THREADS[@]}" --out sweep --json
  files "sweep $stem" "$d" sweep sweep.csv
  both "sweep $stem table" "$d" sweep-table sweep "$file" "${VARY[@]}" \
    ${R[@]+"${R[@]}"} ${LIGHT[@]+"${LIGHT[@]}"} --seed 5 "${THREADS[@]}"

  local names=()
  for ((i = 1; i <= SHARDS; i++)); do
    both "shard $stem $i/$SHARDS" "$d" "shard-$i" run "$file" ${R[@]+"${R[@]}"} --seed 3 \
      "${THREADS[@]}" --shard "$i/$SHARDS" --out shards
    names+=("shard-$i-of-$SHARDS.json")
  done
  for i in "${names[@]}"; do
    compare_files check "shard $stem $i (build id, checksum masked)" "$d/shards/$i" mask_shard
  done
  both "merge $stem --json" "$d" merge-json merge shards --out merged --json
  files "merge $stem" "$d" merged "${CSVS[@]}"
  both "merge $stem table" "$d" merge-table merge shards

  # NEW reads OLD's shard files as OLD does (it only adds a note when the
  # builds differ).
  mkdir -p "$WORK/old/$d/old-shards" "$WORK/new/$d/old-shards"
  for i in "${names[@]}"; do
    if [[ -f $WORK/old/$d/shards/$i ]]; then
      cp "$WORK/old/$d/shards/$i" "$WORK/old/$d/old-shards/"
      cp "$WORK/old/$d/shards/$i" "$WORK/new/$d/old-shards/"
    fi
  done
  both -f drop_build_note "merge $stem, NEW reading OLD's shards, --json" "$d" xmerge-json \
    merge old-shards --out xmerged --json
  files "merge $stem, NEW reading OLD's shards," "$d" xmerged "${CSVS[@]}"

  # HTML reports: INFO only.
  both -q "run $stem --report" "$d" run-report run "$file" ${R[@]+"${R[@]}"} \
    ${LIGHT[@]+"${LIGHT[@]}"} "${THREADS[@]}" --report run.html
  compare_files info "run $stem report.html" "$d/run.html"
  both -q "compare $stem --report" "$d" compare-report compare "$file" "${VARIANTS[@]}" \
    ${R[@]+"${R[@]}"} ${LIGHT[@]+"${LIGHT[@]}"} "${THREADS[@]}" --report compare.html
  compare_files info "compare $stem report.html" "$d/compare.html"
  both -q "sweep $stem --report" "$d" sweep-report sweep "$file" "${VARY[@]}" \
    ${R[@]+"${R[@]}"} ${LIGHT[@]+"${LIGHT[@]}"} --seed 5 "${THREADS[@]}" --report sweep.html
  compare_files info "sweep $stem report.html" "$d/sweep.html"
  both -q "merge $stem --report" "$d" merge-report merge shards --report merge.html
  compare_files info "merge $stem report.html" "$d/merge.html"
}

shopt -s nullglob
SCENARIOS=("$REPO"/scenarios/*.toml "$REPO"/tests/scenarios/*.toml)
shopt -u nullglob
if [[ ${#SCENARIOS[@]} -eq 0 ]]; then
  echo "same-output: no scenarios under $REPO/scenarios or $REPO/tests/scenarios" >&2
  exit 2
fi

echo "same-output: OLD $OLD"
echo "same-output: NEW $NEW"
echo "same-output: ${#SCENARIOS[@]} scenarios from $REPO"

for f in "${SCENARIOS[@]}"; do
  scenario "$f"
done

# ------------------------------------------------------------------ extras

RETAIL=$REPO/scenarios/retail-day.toml
TWO=$REPO/scenarios/two-skills.toml

# Every documented --set form at once (tests/cli_compare.rs).
both "run retail-day every --set form --json" extra/sets run-json run "$RETAIL" "${THREADS[@]}" \
  --set queues.care.callback.offer_after=30s --set queues.0.priority=2 \
  --set "agents.care team.staffing=40" --set run.replications=3 --set run.seed=9 \
  --set horizon.warmup=1h --set 'queues.care.patience={ dist = "constant", value = "2m" }' \
  --out out --json
files "run retail-day every --set form" extra/sets out "${CSVS[@]}"
both "run retail-day staffing list and gamma by --set" extra/sets run-table run "$RETAIL" -r 2 "${THREADS[@]}" \
  --set "agents.care team.staffing=[$(printf '30, %.0s' {1..23})30]" \
  --set 'queues.care.handle_time={ dist = "gamma", mean = "5m", sd = "3m" }' \
  --set queues.care.callback=
both "run two-skills callbacks on by --set" extra/sets run-cb-on run "$TWO" -r 2 "${THREADS[@]}" \
  --set queues.sales.callback.offer_after=45s --set queues.support.callback.offer_if_ewt_over=90s --json

# Undefined confidence intervals: one replication.
both "run two-skills -r 1 --json" extra/one run-json run "$TWO" -r 1 "${THREADS[@]}" --out out --json
files "run two-skills -r 1" extra/one out "${CSVS[@]}"

# Independent seeds instead of common random numbers.
both "compare retail-day --independent --json" extra/independent compare-json compare "$RETAIL" -r 4 \
  "${THREADS[@]}" --variant early:queues.care.callback.offer_after=30s --independent --out compare --json
files "compare retail-day --independent" extra/independent compare compare.csv
both "compare retail-day --independent table" extra/independent compare-table compare "$RETAIL" -r 4 \
  "${THREADS[@]}" --variant early:queues.care.callback.offer_after=30s --independent

# Uneven shards with a --set, one directory per shard, merged out of order
# with a duplicate (tests/cli_shard.rs).
for i in 1 2 3; do
  both "shard two-skills $i/3 with --set" extra/shards3 "shard-$i" run "$TWO" -r 5 --seed 11 \
    --set agents.cross-skilled.staffing=6 "${THREADS[@]}" --shard "$i/3" --out "task-$i"
  compare_files check "shard two-skills shard-$i-of-3.json with --set (build id, checksum masked)" \
    "extra/shards3/task-$i/shard-$i-of-3.json" mask_shard
done
both "merge two-skills 3 shards, out of order, --json" extra/shards3 merge-json \
  merge task-3 task-1 task-2 task-1/shard-1-of-3.json --out merged --json
files "merge two-skills 3 shards" extra/shards3 merged "${CSVS[@]}"
for i in 1 2 3; do
  both "shard retail-day -r 7 $i/3" extra/retail7 "shard-$i" run "$RETAIL" -r 7 "${THREADS[@]}" \
    --shard "$i/3" --out shards
done
both "merge retail-day -r 7 in 3 shards table" extra/retail7 merge-table merge shards --out merged
files "merge retail-day -r 7 in 3 shards" extra/retail7 merged "${CSVS[@]}"

# validate --quick: the table (elapsed time masked) and validation.csv.
both -f mask_elapsed "validate --quick" extra/validate validate validate --quick "${THREADS[@]}" --out out
files "validate --quick" extra/validate out validation.csv

# erlang.
both "erlang A text" extra/erlang a-text erlang --agents 100 --per-hour 1271.88 --aht 5m --patience 3m
both "erlang A --json" extra/erlang a-json erlang --agents 100 --per-hour 1271.88 --aht 300s \
  --patience 3m --sl 20s --json
both "erlang C --json" extra/erlang c-json erlang --agents 10 --per-hour 480 --aht 60 --json
both "erlang --target-sl text" extra/erlang target-text erlang --target-sl 0.8 --per-hour 1200 --aht 5m
both "erlang --target-sl --max-abandon --json" extra/erlang target-json erlang --target-sl 0.8 \
  --per-hour 1200 --aht 5m --patience 3m --max-abandon 0.02 --json

# Help texts and the version (its build id masked).
both "ccsim --help" extra/help top --help
for c in run merge check compare sweep erlang validate; do
  both "ccsim $c --help" extra/help "$c" "$c" --help
done
both -f mask_build "ccsim --version" extra/help version --version

# ------------------------------------------------------------------ errors

# Every bad scenario: check, and run --out (which must write nothing).
for f in "$REPO"/tests/bad/*.toml; do
  stem=$(basename "$f" .toml)
  both -x 2 "check bad/$stem" "bad/$stem" check check "$f"
  both -x 2 "run bad/$stem" "bad/$stem" run run "$f" "${THREADS[@]}" --out out
  files "run bad/$stem" "bad/$stem" .
done

# Bad command lines and options (tests/cli_compare.rs, bad_input.rs, cli_shard.rs).
n=0
for args in \
  "run|$RETAIL|-r|2|--set|queues.nosuch.priority=1" \
  "run|$RETAIL|-r|2|--set|queues.care.callback.offer_after=soon" \
  "run|$RETAIL|-r|2|--set|queues.care.callbak.offer_after=30s" \
  "run|$RETAIL|-r|2|--set|agents.care team.staffing=many" \
  "run|$RETAIL|-r|2|--set|run.replications=0" \
  "run|$RETAIL|-r|2|--set|no-equals" \
  "run|$RETAIL|-r|0" \
  "run|$RETAIL|-r|ten" \
  "run|$RETAIL|--threads|0" \
  "run|$RETAIL|--seed|-1" \
  "run|$RETAIL|--bogus" \
  "run|$REPO/tests/no-such-scenario.toml" \
  "run|$REPO/tests" \
  "compare|$RETAIL|--variant|more:run.replications=40" \
  "compare|$RETAIL|--variant|a:run.seed=3|--variant|a:run.seed=4" \
  "compare|$RETAIL" \
  "compare|$RETAIL|--variant|nocolon" \
  "sweep|$RETAIL|--vary|queues.care.callback.offer_after=30s,30s" \
  "sweep|$RETAIL|--vary|queues.care.callback.offer_after=30s|--vary|queues.care.callback.offer_after=60s" \
  "run|$TWO|-r|3|--shard|0/3|--out|s" \
  "run|$TWO|-r|3|--shard|4/3|--out|s" \
  "run|$TWO|-r|3|--shard|0/0|--out|s" \
  "run|$TWO|-r|3|--shard|one/3|--out|s" \
  "run|$TWO|-r|3|--shard|1/4|--out|s" \
  "run|$TWO|-r|3|--shard|1/3" \
  "run|$TWO|-r|3|--shard|1/3|--out|s|--json" \
  "erlang|--per-hour|100|--aht|5m" \
  "erlang|--agents|5|--per-hour|-3|--aht|5m" \
  "erlang|--agents|5|--per-hour|100|--aht|5x" \
  "erlang|--target-sl|1.5|--per-hour|100|--aht|5m" \
  "erlang|--agents|5|--per-hour|10|--aht|1m|--max-abandon|0.1" \
  "erlang|--agents|10|--per-hour|1000|--aht|1m|--patience|1e10" \
  "simulate" \
  "" \
  "merge|nowhere"; do
  IFS='|' read -r -a argv <<<"$args"
  n=$((n + 1))
  label=${args//"$REPO"\//}
  label="error: ccsim ${label//|/ }"
  both -x 2 "$label" "errors/$n" cmd ${argv[@]+"${argv[@]}"}
  files "$label" "errors/$n" .
done

# Merges that must be refused: a missing shard, a damaged one, a foreign one.
both "shard retail-day 1/3 for the merge errors" extra/merge-errors s1 run "$RETAIL" -r 3 "${THREADS[@]}" --shard 1/3 --out a
both "shard retail-day 2/3 for the merge errors" extra/merge-errors s2 run "$RETAIL" -r 3 "${THREADS[@]}" --shard 2/3 --out a
both "shard retail-day 3/3 seed 5 for the merge errors" extra/merge-errors s3 run "$RETAIL" -r 3 --seed 5 \
  "${THREADS[@]}" --shard 3/3 --out foreign
both -x 2 "merge error: missing shard" extra/merge-errors missing merge a --out m1
# The same damage on both sides: OLD's shards, shard 2 cut to a third.
for side in old new; do
  d=$WORK/$side/extra/merge-errors
  mkdir -p "$d/cut"
  for i in 1 2; do
    f=$WORK/old/extra/merge-errors/a/shard-$i-of-3.json
    if [[ -f $f ]]; then
      if ((i == 2)); then
        head -c "$(($(wc -c <"$f") / 3))" "$f" >"$d/cut/shard-$i-of-3.json"
      else
        cp "$f" "$d/cut/"
      fi
    fi
  done
done
both -x 2 "merge error: damaged shard" extra/merge-errors damaged merge cut --out m2
both -x 2 "merge error: foreign shard" extra/merge-errors foreign merge a foreign --out m3
files "merge errors" extra/merge-errors .

# ------------------------------------------------------------------ result

total=$((n_same + n_diff + n_bad))
echo "same-output: $total checks: $n_same same, $n_diff DIFF, $n_bad BAD ($n_info INFO on HTML reports, not counted); $((SECONDS - START)) s"
if ((n_diff + n_bad > 0)); then
  exit 1
fi
