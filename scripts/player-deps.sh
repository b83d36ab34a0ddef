#!/usr/bin/env bash
# The web console's preview players (hls.js, shaka-player), pinned in src/TranscodeFarm.WebConsole/player/package.json and
# installed with npm so that the next build embeds them in the console (decision 035). Idempotent. Without npm it says so
# and exits 0: the console still runs and says on its asset pages that the players are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=src/TranscodeFarm.WebConsole/player
if ! command -v npm >/dev/null 2>&1; then
  echo "npm not found: the web console is built without its preview players (scripts/browser-deps.sh installs node and npm)" >&2
  exit 0
fi
if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules" ]; then
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  touch "$dir/node_modules"
fi
echo "console players ready: hls.js $(node -p "require('./$dir/node_modules/hls.js/package.json').version"), shaka-player $(node -p "require('./$dir/node_modules/shaka-player/package.json').version")"
