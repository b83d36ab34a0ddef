#!/usr/bin/env bash
# Installs what the headless-browser playback harness (tests/browser) needs: Debian's Chromium, node/npm when
# missing, and the harness's pinned npm packages (players and browser driver), and the web console's players.
# Idempotent; no browser download.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

chromium_path=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ ! -x "$chromium_path" ]; then
  ensure_apt_packages chromium
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  ensure_apt_packages nodejs npm
fi

dir=tests/browser
if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules" ]; then
  # playwright-core never downloads a browser; the variable guards against any postinstall that might.
  (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 \
    npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  touch "$dir/node_modules"
fi
# The web console embeds the same players at build time (its own pinned package.json).
scripts/player-deps.sh
echo "browser harness ready: $("$chromium_path" --version 2>/dev/null | head -n 1), node $(node --version)"
