#!/usr/bin/env bash
# README command 2: install what the tests need, build, and run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_ffmpeg
# libfaketime: the lease tests run a worker whose clock is skewed.
ensure_apt_packages libfaketime
# promtool and a real Prometheus: the shipped alerting rules and dashboards are tested against them (MonitoringTests).
ensure_apt_packages prometheus
# Real players for the browser playback tests: Debian Chromium, node, shaka-player and hls.js (tests/browser).
scripts/browser-deps.sh
ffmpeg -hide_banner -version | head -n 1

# A real PostgreSQL for the farm-mode tests: started here, stopped on exit. The tests fail loudly without it.
pg_dir=$(mktemp -d /tmp/transcodefarm-pg-XXXXXX)
rgw_dir=$(mktemp -d /tmp/transcodefarm-rgw-XXXXXX)
cleanup() {
  scripts/postgres.sh stop "$pg_dir"; rm -rf "$pg_dir"
  scripts/rgw.sh stop "$rgw_dir"; rm -rf "$rgw_dir"
}
trap cleanup EXIT
TRANSCODEFARM_TEST_POSTGRES=$(scripts/postgres.sh start "$pg_dir" $(( 20000 + RANDOM % 10000 )))
export TRANSCODEFARM_TEST_POSTGRES
echo "test PostgreSQL: $TRANSCODEFARM_TEST_POSTGRES"

# A real S3-compatible server (single-node Ceph RADOS Gateway) for the S3 tests; the run fails loudly if it cannot start.
# A random port may be taken (rgw.sh refuses a busy one): try another before giving up.
rgw_settings=""
for _ in 1 2 3; do
  rgw_settings=$(scripts/rgw.sh start "$rgw_dir" $(( 30000 + RANDOM % 10000 ))) && break
  rgw_settings=""
done
[ -n "$rgw_settings" ] || { echo "could not start Ceph RGW" >&2; exit 1; }
while IFS='=' read -r key value; do export "TRANSCODEFARM_TEST_$key=$value"; done <<< "$rgw_settings"
echo "test S3 (Ceph RGW): $TRANSCODEFARM_TEST_S3_ENDPOINT"

dotnet build TranscodeFarm.sln -c Release -nologo -clp:ErrorsOnly

log=$(mktemp)
set +e
dotnet test TranscodeFarm.sln -c Release --no-build -nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# The farm as containers (decision 034): builds the images from docker/, starts docker/compose.farm.yaml and runs the
# README walkthrough's scenario on it (S3 ingest, playback, a worker killed mid-encode, every dashboard panel). It runs
# after the tests, not beside them: both want both cores. Its failure fails the run.
set +e
scripts/farm-stack.sh
stack_status=$?
set -e

# One closing line for humans and CI: totals over every test assembly.
awk '/(Passed|Failed)! *- *Failed:/ {
  gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
} END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
[ "$stack_status" -eq 0 ] || echo "farm stack (scripts/farm-stack.sh) failed" >&2
[ "$status" -ne 0 ] && exit "$status"
exit "$stack_status"
