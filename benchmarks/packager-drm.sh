#!/usr/bin/env bash
# Packager DRM benchmark: the native packager packaging + 'cenc'-encrypting one 1080p rendition (file → PipeReader →
# demuxer → packager → segment files) vs ffmpeg -c copy with cenc-aes-ctr on the same file, in the same run.
# Prints MB/s for both and the speed ratio (goal ≥ 2x ffmpeg, ≥ 1 GB/s on one core).
#   benchmarks/packager-drm.sh [--seconds 20] [--runs 5]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_ffmpeg
dotnet build benchmarks/TranscodeFarm.PackagerBenchmarks -c Release -nologo -clp:ErrorsOnly -v:q
exec dotnet benchmarks/TranscodeFarm.PackagerBenchmarks/bin/Release/net10.0/TranscodeFarm.PackagerBenchmarks.dll "$@"
