#!/usr/bin/env bash
# S3 publishing benchmark: starts a throwaway Ceph RGW on 127.0.0.1, measures, stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_ffmpeg
rgw_dir=$(mktemp -d /tmp/transcodefarm-s3bench-XXXXXX)
trap 'scripts/rgw.sh stop "$rgw_dir"; rm -rf "$rgw_dir"' EXIT
while IFS='=' read -r key value; do export "$key=$value"; done < <(scripts/rgw.sh start "$rgw_dir" $(( 30000 + RANDOM % 10000 )))
dotnet build benchmarks/TranscodeFarm.StoreBenchmarks -c Release -nologo -clp:ErrorsOnly -v:q
dotnet benchmarks/TranscodeFarm.StoreBenchmarks/bin/Release/net10.0/TranscodeFarm.StoreBenchmarks.dll
