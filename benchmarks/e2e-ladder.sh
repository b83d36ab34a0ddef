#!/usr/bin/env bash
# End-to-end ladder benchmark: farm vs the raw ffmpeg command it runs vs one ffmpeg per rendition,
# on the same generated 1080p clip in the same run. Prints a table and the ratios.
#   benchmarks/e2e-ladder.sh [--seconds 10] [--runs 1] [--profile h264-cmaf] [--fingerprint on|off|both] [--no-naive]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_ffmpeg
dotnet build benchmarks/TranscodeFarm.EndToEnd -c Release -nologo -clp:ErrorsOnly -v:q
# The farm as docker/Dockerfile ships it: a ReadyToRun publish (decision 023). --farm-dir DIR measures another build.
farm=benchmarks/TranscodeFarm.EndToEnd/bin/Release/farm-r2r
dotnet publish src/TranscodeFarm.Cli -c Release --use-current-runtime --self-contained false -p:PublishReadyToRun=true \
  -o "$farm" -nologo -clp:ErrorsOnly -v:q
exec dotnet benchmarks/TranscodeFarm.EndToEnd/bin/Release/net10.0/TranscodeFarm.EndToEnd.dll "$@" --farm-dir "$farm"
