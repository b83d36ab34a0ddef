#!/usr/bin/env bash
# Cache policy hit-rate analysis (issue 15, decision 025): generates the three committed VOD traces (seed 15, checksums
# checked), replays each through LRU, S3-FIFO and W-TinyLFU at 1/5/10/25% of the catalog's bytes, and prints a Markdown
# table of object and byte hit ratios plus the goal's verdicts. Single-threaded; about 30 s on one core.
#   benchmarks/hit-rate.sh [--requests N] [--seed S] | --sweep   (other seeds and sizes are not checked against a checksum)
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build benchmarks/TranscodeFarm.HitRateAnalysis -c Release -nologo -clp:ErrorsOnly -v:q
exec dotnet benchmarks/TranscodeFarm.HitRateAnalysis/bin/Release/net10.0/TranscodeFarm.HitRateAnalysis.dll "$@"
