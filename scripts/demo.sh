#!/usr/bin/env bash
# README command 1: install ffmpeg if missing, build, and run the embedded farm on a sample
# (or on the file given), printing the HLS/DASH URLs. Ctrl-C stops everything.
#   ./scripts/demo.sh [FILE] [--once] [--drm cbcs|cenc] [--url http://127.0.0.1:8080]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_ffmpeg
# The web console's preview players, when npm is here (the console works without them and says so).
scripts/player-deps.sh || echo "the web console's preview players could not be installed; building without them" >&2
dotnet build src/TranscodeFarm.Cli -c Release -nologo -clp:ErrorsOnly -v:q
exec dotnet src/TranscodeFarm.Cli/bin/Release/net10.0/transcodefarm.dll --data-dir "${TRANSCODEFARM_DATA:-data}" demo "$@"
