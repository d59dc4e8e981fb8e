#!/usr/bin/env bash
# scripts/screenshot.sh [BASE_URL] [OUT_DIR]
#
# Screenshots of the web pages in headless Chromium, at a laptop and a phone size, for people
# reviewing the pages. Start the server first (make serve). Installs Debian's chromium if needed.
#   BASE_URL  default http://127.0.0.1:8080
#   OUT_DIR   default var/screenshots
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BASE="${1:-http://127.0.0.1:8080}"
OUT="${2:-$ROOT/var/screenshots}"
# shellcheck source=ensure-tools.sh
source "$ROOT/scripts/ensure-tools.sh"
ensure_tool chromium chromium
mkdir -p "$OUT"
shot() {  # shot NAME PATH WIDTH HEIGHT
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
        --user-data-dir="$OUT/.profile" --window-size="$3,$4" --screenshot="$OUT/$1.png" "$BASE$2" \
        >/dev/null 2>&1
    echo "$OUT/$1.png"
}
for size in "laptop 1366 900" "phone 390 844"; do
    set -- $size
    shot "$1-home" "/" "$2" "$3"
    shot "$1-search" "/?q=example+sky+survey+tap" "$2" "$3"
    shot "$1-resource" "/resources/ivo%3A%2F%2Fexample-dc.org%2Ftap" "$2" "$3"
    shot "$1-status" "/status" "$2" "$3"
done
