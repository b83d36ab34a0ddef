#!/usr/bin/env bash
# A throwaway single-node Ceph RADOS Gateway (S3) on 127.0.0.1 for tests and benchmarks: one monitor, one OSD on
# memstore (RAM), radosgw with the beast frontend, a user and a bucket. Facts in ../shared/INFRA-NOTES.md.
#   scripts/rgw.sh start DIR PORT   -> prints S3 settings as KEY=VALUE lines on stdout
#   scripts/rgw.sh stop DIR
#   scripts/rgw.sh kill-gateway DIR | start-gateway DIR   (fault injection in tests)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

# The S3 user's keys: the test defaults unless the environment sets them (docker/rgw's image always does).
access_key=${RGW_ACCESS_KEY:-transcodefarmtest}
secret_key=${RGW_SECRET_KEY:-transcodefarm-test-secret-not-for-production}

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
  local deadline=$((SECONDS + $1)) what=$2
  shift 2
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then echo "rgw.sh: timed out waiting for $what" >&2; return 1; fi
    sleep 0.3
  done
}

start() {
  local dir=$1 port=$2
  ensure_apt_packages ceph-mon ceph-osd radosgw ceph-common >&2
  rm -rf "$dir" && mkdir -p "$dir"/{mon,osd,run,log,rgw}
  local fsid v1=$((port + 1)) v2=$((port + 2)) conf="$dir/ceph.conf"
  # A port already taken (another test cluster) would make every ceph command below talk to that cluster instead.
  local p
  for p in "$port" "$v1" "$v2"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "port $p is already in use: pick another PORT (three from PORT are used)" >&2
      return 1
    fi
  done
  fsid=$(cat /proc/sys/kernel/random/uuid)
  cat > "$conf" <<CONF
[global]
fsid = $fsid
mon host = [v2:127.0.0.1:$v2,v1:127.0.0.1:$v1]
public addr = 127.0.0.1
ms bind ipv6 = false
auth cluster required = none
auth service required = none
auth client required = none
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon max pg per osd = 1000
run dir = $dir/run
admin socket = $dir/run/\$cluster-\$name.asok
log file = $dir/log/\$cluster-\$name.log
mon data = $dir/mon/\$cluster-\$id
osd data = $dir/osd/\$cluster-\$id
osd objectstore = memstore
memstore device bytes = 2147483648
[mon]
paxos propose interval = 0.1
mon data avail crit = 1
[client.rgw.test]
auth client required = none
ms mon client mode = crc
rgw frontends = beast endpoint=127.0.0.1:$port
rgw data = $dir/rgw
CONF
  export CEPH_CONF=$conf
  monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$v2,v1:127.0.0.1:$v1]" "$dir/monmap" >/dev/null
  ceph-mon --mkfs -i a --monmap "$dir/monmap" >&2
  setsid ceph-mon -i a -f >"$dir/log/mon.out" 2>&1 < /dev/null & echo $! > "$dir/mon.pid"
  wait_for 60 "the monitor" timeout 5 ceph -s
  local uuid id
  uuid=$(cat /proc/sys/kernel/random/uuid)
  id=$(ceph osd new "$uuid")
  mkdir -p "$dir/osd/ceph-$id"
  ceph-osd -i "$id" --mkfs --osd-uuid "$uuid" >"$dir/log/osd-mkfs.out" 2>&1
  setsid ceph-osd -i "$id" -f >"$dir/log/osd.out" 2>&1 < /dev/null & echo $! > "$dir/osd.pid"
  wait_for 60 "the OSD" bash -c 'ceph osd stat -f json | grep -q "\"num_up_osds\":1"'
  local pool
  for pool in default.rgw.buckets.index default.rgw.buckets.data default.rgw.buckets.non-ec; do
    ceph osd pool create "$pool" 8 8 >/dev/null 2>&1
    ceph osd pool application enable "$pool" rgw >/dev/null 2>&1
  done
  start_gateway "$dir" "$port"
  radosgw-admin user create --uid=test --display-name=Test --access-key="$access_key" --secret="$secret_key" >/dev/null
  echo "S3_ENDPOINT=http://127.0.0.1:$port"
  echo "S3_ACCESS_KEY=$access_key"
  echo "S3_SECRET_KEY=$secret_key"
  echo "S3_DIR=$dir"
}

start_gateway() {
  local dir=$1 port=$2
  export CEPH_CONF="$dir/ceph.conf"
  echo "$port" > "$dir/rgw.port"
  setsid radosgw -n client.rgw.test -f >>"$dir/log/rgw.out" 2>&1 < /dev/null & echo $! > "$dir/rgw.pid"
  wait_for 90 "radosgw on port $port" bash -c "exec 3<>/dev/tcp/127.0.0.1/$port"
}

stop() {
  local dir=$1 pidfile
  for pidfile in "$dir/rgw.pid" "$dir/osd.pid" "$dir/mon.pid"; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  sleep 0.5
  for pidfile in "$dir/rgw.pid" "$dir/osd.pid" "$dir/mon.pid"; do
    [ -f "$pidfile" ] && kill -9 "$(cat "$pidfile")" 2>/dev/null || true
  done
}

case "${1:-}" in
  start) start "$2" "$3" ;;
  stop) stop "$2" ;;
  # Fault injection for tests: kill -9 only the gateway, then bring it back on the same port.
  kill-gateway) kill -9 "$(cat "$2/rgw.pid")" ;;
  start-gateway) start_gateway "$2" "$(cat "$2/rgw.port")" ;;
  *) echo "usage: $0 start DIR PORT | stop DIR | kill-gateway DIR | start-gateway DIR" >&2; exit 2 ;;
esac
