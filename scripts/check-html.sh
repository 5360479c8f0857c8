#!/usr/bin/env bash
# Opens an HTML report in headless Chromium as a reader would: fails on any console message
# (a script error, or a request the page's Content-Security-Policy blocked: the report must
# need nothing outside itself), checks that the verdict cards rendered, and saves a
# screenshot.
#
#   scripts/check-html.sh REPORT.html SCREENSHOT.png [WIDTHxHEIGHT]
#
# Chromium: `apt-get install -y chromium` (CHROMIUM=/path/to/chrome to use another).
set -euo pipefail
report="$(realpath "$1")"
shot="$2"
size="${3:-1280x1800}"
chromium="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}"
if [[ -z "$chromium" ]]; then
  echo "check-html: no Chromium found (apt-get install -y chromium)" >&2
  exit 3
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
flags=(--headless=new --no-sandbox --disable-gpu --no-first-run --user-data-dir="$work/profile"
       --enable-logging=stderr --v=0 --window-size="${size/x/,}")
timeout 120 "$chromium" "${flags[@]}" --dump-dom "file://$report" > "$work/dom.html" 2> "$work/log.txt"
if grep -q "CONSOLE" "$work/log.txt"; then
  echo "check-html: the page logged to the console:" >&2
  grep "CONSOLE" "$work/log.txt" >&2
  exit 1
fi
cards=$(grep -o 'class="card ' "$work/dom.html" | wc -l)
if [[ "$cards" -lt 1 ]]; then
  echo "check-html: no verdict card in the rendered page" >&2
  exit 1
fi
timeout 120 "$chromium" "${flags[@]}" --hide-scrollbars --screenshot="$shot" "file://$report" 2> "$work/shot.txt" > /dev/null
if [[ ! -s "$shot" ]]; then
  echo "check-html: no screenshot written" >&2
  cat "$work/shot.txt" >&2
  exit 1
fi
echo "check-html: $cards verdict cards, no console message; screenshot in $shot"
