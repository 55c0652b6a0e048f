#!/usr/bin/env bash
# Builds the HTML reports of the example scenarios and screenshots each in
# a headless Chromium at 1280 px and 420 px wide, into results/screenshots/
# (or DIR). Needs Debian's chromium (apt-get install -y chromium) and
# ImageMagick's `convert` (to crop each page to its content).
#
#   scripts/screenshots.sh [DIR]
#
# Each screenshot is taken in a window taller than the page and cropped to
# the page's content. The reports themselves are built in a temporary
# directory and removed; the commands below make them again.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-results/screenshots}
mkdir -p "$out"
cargo build --release --quiet
ccsim=target/release/ccsim
html=$(mktemp -d)
trap 'rm -rf "$html"' EXIT

"$ccsim" run scenarios/retail-day.toml --report "$html/run-retail-day.html" >/dev/null
"$ccsim" run scenarios/two-skills.toml --report "$html/run-two-skills.html" >/dev/null
"$ccsim" run scenarios/callback-platform.toml --report "$html/run-callback-platform.html" >/dev/null
"$ccsim" compare scenarios/retail-day.toml \
    --variant 'offer after 30s:queues.care.callback.offer_after=30s' \
    --variant 'offer after 30s, accept 0.8:queues.care.callback.offer_after=30s,queues.care.callback.accept_probability=0.8' \
    --variant 'two more agents all day:agents.care team.staffing=+2' \
    --report "$html/compare-retail-day.html" >/dev/null
"$ccsim" sweep scenarios/retail-day.toml \
    --vary 'queues.care.callback.offer_after=30s,60s,90s,120s,180s' \
    --vary 'queues.care.callback.accept_probability=0.3,0.6' \
    --report "$html/sweep-retail-day.html" >/dev/null
"$ccsim" compare scenarios/two-skills.toml --queue support \
    --variant 'callback after 1m:queues.support.callback.offer_if_ewt_over=1m' \
    --variant 'two more cross-skilled:agents.cross-skilled.staffing=+2' \
    --report "$html/compare-two-skills-support.html" >/dev/null
"$ccsim" staff scenarios/bank.toml --report "$html/staff-bank.html" >/dev/null

shoot() { # shoot PAGE WIDTH HEIGHT
    local page=$1 width=$2 height=$3 png
    png="$out/$(basename "$page" .html)-$width.png"
    chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run \
        --user-data-dir="$(mktemp -d)" --hide-scrollbars \
        --window-size="$width,$height" --screenshot="$png" "file://$page" 2>/dev/null
    # Crop the white below the content, keeping a margin, and shrink the
    # file (a 256-colour palette is plenty for these pages).
    local box bottom
    box=$(convert "$png" -trim -format '%h %Y' info:)
    bottom=$(( ${box% *} + ${box#* } + 16 ))
    if (( bottom >= height )); then
        echo "warning: $page is taller than $height px at $width px: the image is cut" >&2
    fi
    convert "$png" -crop "${width}x${bottom}+0+0" +repage \
        -colors 256 -define png:compression-level=9 "$png"
    echo "$png"
}

for page in "$html"/*.html; do
    # ImageMagick's default policy reads images up to 16384 px high.
    shoot "$page" 1280 16000
    shoot "$page" 420 16000
done
