#!/bin/bash
# Starts scripts/rgw.sh's cluster and its S3 user, then stays in the foreground while radosgw runs; SIGTERM stops it.
set -euo pipefail
: "${RGW_ACCESS_KEY:?set RGW_ACCESS_KEY}" "${RGW_SECRET_KEY:?set RGW_SECRET_KEY}"
export RGW_ACCESS_KEY RGW_SECRET_KEY
scripts=/opt/transcodefarm/scripts
stop() { "$scripts/rgw.sh" stop "$RGW_DIR"; exit 0; }
trap stop TERM INT
# rgw.sh prints the S3 settings; only the endpoint is worth a log line (the keys are secrets).
"$scripts/rgw.sh" start "$RGW_DIR" "$RGW_PORT" | grep '^S3_ENDPOINT='
touch "$RGW_DIR/ready"
while kill -0 "$(cat "$RGW_DIR/rgw.pid")" 2>/dev/null; do
  sleep 1 &
  wait $! || true
done
echo "radosgw exited; its log:" >&2
tail -n 40 "$RGW_DIR/log/rgw.out" >&2 || true
exit 1
