#!/usr/bin/env bash
# Renders an HTML report with headless Chromium and saves a full-width PNG screenshot, to look at
# the report as a reader would. Not used by CI; needs Debian's `chromium` package
# (apt-get install chromium).
#
# Usage: scripts/screenshot_report.sh REPORT.html OUT.png [WIDTH] [HEIGHT]
set -euo pipefail
html="$(realpath "$1")"
out="$(realpath -m "$2")"
width="${3:-1280}"
height="${4:-3600}"
browser="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$browser" ]; then
    echo "chromium not found: apt-get install chromium" >&2
    exit 1
fi
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --disable-background-networking --disable-component-update \
    --window-size="${width},${height}" --screenshot="$out" "file://$html" >/dev/null 2>&1
echo "wrote $out"
