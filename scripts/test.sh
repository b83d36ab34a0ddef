#!/usr/bin/env bash
# README command 2: install what the tests need, build, and run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_ffmpeg
ffmpeg -hide_banner -version | head -n 1

dotnet build TranscodeFarm.sln -c Release -nologo -clp:ErrorsOnly

log=$(mktemp)
set +e
dotnet test TranscodeFarm.sln -c Release --no-build -nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One closing line for humans and CI: totals over every test assembly.
awk '/(Passed|Failed)! *- *Failed:/ {
  gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
} END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit "$status"
