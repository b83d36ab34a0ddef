#!/usr/bin/env bash
# Queue benchmark: claim+complete throughput (1/4/8 claimers) on PostgreSQL and SQLite, and LISTEN/NOTIFY latency.
# Starts a throwaway PostgreSQL on 127.0.0.1 and stops it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
pg_dir=$(mktemp -d /tmp/transcodefarm-qbench-XXXXXX)
trap 'scripts/postgres.sh stop "$pg_dir"; rm -rf "$pg_dir"' EXIT
url=$(scripts/postgres.sh start "$pg_dir" $(( 20000 + RANDOM % 20000 )))
dotnet build benchmarks/TranscodeFarm.QueueBenchmarks -c Release -nologo -clp:ErrorsOnly -v:q
dotnet benchmarks/TranscodeFarm.QueueBenchmarks/bin/Release/net10.0/TranscodeFarm.QueueBenchmarks.dll "$url"
