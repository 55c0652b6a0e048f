#!/bin/bash
# Submits a ccsim study as a Slurm job array of SHARDS tasks (one shard
# each, see ccsim-array.sbatch) and a merge job that starts only when every
# task has succeeded. Settings come from the environment:
#
#   SHARDS=8 REPLICATIONS=2000 SEED=42 SCENARIO=scenarios/retail-day.toml \
#     STUDY_DIR=/shared/studies/retail examples/slurm/submit.sh
#
# The merged summary.csv, replications.csv, intervals.csv and report.html
# land in STUDY_DIR/merged; the merge job's log has the summary table.

set -euo pipefail

export CCSIM=${CCSIM:-ccsim}
export SCENARIO=${SCENARIO:-scenarios/retail-day.toml}
export REPLICATIONS=${REPLICATIONS:-2000}
export SEED=${SEED:-42}
export SHARDS=${SHARDS:-8}
export STUDY_DIR=${STUDY_DIR:-$PWD/study}

here=$(dirname "$0")

# Fail now rather than when the tasks start, maybe hours later.
"$CCSIM" check "$SCENARIO" >/dev/null
if ((SHARDS < 1 || SHARDS > REPLICATIONS)); then
  echo "SHARDS must be from 1 to REPLICATIONS ($REPLICATIONS), not $SHARDS" >&2
  exit 2
fi
mkdir -p "$STUDY_DIR"

# --parsable prints "jobid" or "jobid;cluster".
# Task I runs shard I: both count from 1.
array=$(sbatch --parsable --array="1-$SHARDS" "$here/ccsim-array.sbatch")
array=${array%%;*}
echo "shards: job array $array ($SHARDS tasks)"

# The merge command, quoted for the shell that --wrap starts.
printf -v merge_cmd '%q ' "$CCSIM" merge "$STUDY_DIR" \
  --out "$STUDY_DIR/merged" --report "$STUDY_DIR/merged/report.html"
merge=$(sbatch --parsable \
  --job-name=ccsim-merge \
  --dependency="afterok:$array" \
  --output=ccsim-merge-%j.out \
  --wrap "$merge_cmd")
echo "merge: job ${merge%%;*}, after every shard succeeded"
