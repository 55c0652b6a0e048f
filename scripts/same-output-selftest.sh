#!/usr/bin/env bash
# same-output-selftest.sh [BIN]: shows that scripts/same-output.sh can fail.
#
# With BIN (default target/release/ccsim) as OLD, runs same-output.sh three
# times and checks its exit status:
#   1. NEW = BIN itself: every check `same`, exit 0;
#   2. NEW = a wrapper that runs BIN with an extra `--seed 99` on run,
#      compare, sweep and validate (unless the command line has a --seed):
#      DIFFs, exit 1;
#   3. NEW = a wrapper that runs BIN, then changes the last digit of one
#      figure (the first mean) of summary.csv after `run .../retail-day.toml
#      --out DIR` without --set: exactly one DIFF,
#      `run retail-day summary.csv`, exit 1.
# Prints the last lines of each run. Takes three times as long as one run.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=${1:-$here/../target/release/ccsim}
[[ -x $bin ]] || { echo "selftest: $bin: not an executable" >&2; exit 2; }
bin=$(cd "$(dirname "$bin")" && printf '%s/%s\n' "$PWD" "$(basename "$bin")")

tmp=$(mktemp -d "${TMPDIR:-/tmp}/same-output-selftest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/ccsim-seed99" <<WRAPPER
#!/usr/bin/env bash
# ccsim with an extra --seed 99 on the commands that take a seed.
case \${1-} in
  run | compare | sweep | validate)
    for a in "\$@"; do
      [[ \$a == --seed ]] && exec "$bin" "\$@"
    done
    exec "$bin" "\$@" --seed 99 ;;
esac
exec "$bin" "\$@"
WRAPPER

cat >"$tmp/ccsim-one-figure" <<WRAPPER
#!/usr/bin/env bash
# ccsim, but \`run .../retail-day.toml ... --out DIR\` (no --set, no --shard)
# writes a summary.csv whose first mean has another last digit.
set -uo pipefail
"$bin" "\$@"
rc=\$?
[[ \${1-} == run && \${2-} == */retail-day.toml && " \$* " != *" --set "* && " \$* " != *" --shard "* ]] || exit \$rc
out=
prev=
for a in "\$@"; do
  [[ \$prev == --out ]] && out=\$a
  prev=\$a
done
if [[ -n \$out && -f \$out/summary.csv ]]; then
  awk -F, -v OFS=, 'NR == 2 { d = substr(\$3, length(\$3), 1); \$3 = substr(\$3, 1, length(\$3) - 1) ((d + 1) % 10) } 1' \\
    "\$out/summary.csv" >"\$out/summary.csv.tmp" && mv "\$out/summary.csv.tmp" "\$out/summary.csv"
fi
exit \$rc
WRAPPER
chmod +x "$tmp/ccsim-seed99" "$tmp/ccsim-one-figure"

failed=0
# expect NAME NEW WANT_STATUS [WANT_DIFF_LINES]
expect() {
  local name=$1 new=$2 want=$3 want_diffs=${4-}
  local rc=0
  echo "== selftest $name: same-output.sh $bin $new"
  "$here/same-output.sh" "$bin" "$new" >"$tmp/$name.log" 2>&1 || rc=$?
  tail -n 10 "$tmp/$name.log"
  local diffs
  diffs=$(grep -c '^DIFF' "$tmp/$name.log" || true)
  if [[ $rc != "$want" ]]; then
    echo "selftest $name: FAILED: exit $rc, expected $want"
    failed=1
  elif [[ -n $want_diffs && $diffs != "$want_diffs" ]]; then
    echo "selftest $name: FAILED: $diffs DIFF lines, expected $want_diffs"
    failed=1
  else
    echo "selftest $name: ok (exit $rc, $diffs DIFF lines); the first:"
    awk '/^DIFF/ { n++ } n == 1 && /^(DIFF|      )/' "$tmp/$name.log"
  fi
  echo
}

expect identical "$bin" 0 0
expect seed99 "$tmp/ccsim-seed99" 1
expect one-figure "$tmp/ccsim-one-figure" 1 1
exit "$failed"
