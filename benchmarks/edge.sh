#!/usr/bin/env bash
# Edge cache benchmark: TranscodeFarm's edge against nginx 1.22 (proxy_cache) and Varnish 7.1 (malloc), all three in
# front of the SAME origin (a separate nginx serving files, one log line per fetch) with the SAME objects, in one run.
#
#   benchmarks/edge.sh [--seconds N] [--only edge|nginx|varnish[,...]] [--keep] [--warmup N] [--bursts N]
#                      [--burst-size N] [--cold-rate RATE] [--no-store-copy] [--baseline GIT-REF]
#
# --baseline REF also builds the edge at git commit REF (a detached worktree in the work folder) and measures it the
# same way, right before this tree's edge, with an edge/baseline ratio: "no slower than before" in the same run.
#
# Per cache, one at a time, the cache pinned to one core (taskset -c 1) and the load on the other (taskset -c 0):
#   correctness + caching check (status, content type, SHA-256, X-Cache/Age on a repeat), warm-up, then wrk for
#   --seconds on a hot 1.5 MiB segment (16 and 128 connections), the HLS master playlist and the DASH MPD
#   (16 connections); the origin's log must not grow during those runs. Then --bursts cold bursts: --burst-size
#   simultaneous requests for one never-requested segment served slowly by the origin (--cold-rate, ~1 s per
#   segment): origin fetches are counted (goal: exactly 1) and every body is checked against the file.
#   Last, the peak RSS (VmHWM) of the cache's process(es). A table with edge/peer ratios and a summary close the run.
#   The edge is given Edge:Origin (the origin's URL); a build that ignores it serves DATA/store, so the objects are
#   copied there too unless --no-store-copy. The run says which mode the edge was in (a probe object exists only
#   at the origin).
#
# Everything runs on 127.0.0.1; every process the script starts is stopped on exit; the work folder is
# /tmp/transcodefarm-edgebench-* (removed unless --keep). Installs nginx, varnish, wrk (Debian apt) when missing.
# Knobs used for each cache are in benchmarks/edge/*.template and in start_edge / start_varnish below.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

seconds=10
warmup=2
bursts=3
burst_size=300
cold_rate=1536k # bytes/s for cold-* objects at the origin: a 1.5 MiB segment takes ~1 s
only="edge,nginx,varnish"
keep=0
baseline_ref=""
store_copy=1 # lay the objects out in the edge's filesystem store too (for builds without Edge:Origin)
usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --bursts) bursts="$2"; shift 2 ;;
    --burst-size) burst_size="$2"; shift 2 ;;
    --cold-rate) cold_rate="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    --no-store-copy) store_copy=0; shift ;;
    --baseline) baseline_ref="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
peers=()
[ -n "$baseline_ref" ] && peers+=(baseline)
for p in edge nginx varnish; do
  [[ ",$only," == *",$p,"* ]] && peers+=("$p")
done
[ ${#peers[@]} -gt 0 ] || { echo "--only takes edge, nginx and/or varnish (comma-separated)" >&2; exit 2; }
for v in "$seconds" "$warmup" "$bursts" "$burst_size"; do
  [[ "$v" =~ ^[0-9]+$ ]] || { echo "--seconds, --warmup, --bursts and --burst-size take whole numbers" >&2; exit 2; }
done
has() { [[ " ${peers[*]} " == *" $1 "* ]]; }
is_edge() { [ "$1" = edge ] || [ "$1" = baseline ]; } # this tree's edge, or the same edge built at --baseline

# --- tools --------------------------------------------------------------------------------------------------------
needed=(wrk curl nginx) # the origin is nginx in every case
has varnish && needed+=(varnish)
ensure_apt_packages "${needed[@]}"
command -v python3 >/dev/null 2>&1 || ensure_apt_packages python3
command -v taskset >/dev/null 2>&1 || ensure_apt_packages util-linux
server_cpu=${SERVER_CPU:-1}
client_cpu=${CLIENT_CPU:-0}
if [ "$(nproc)" -lt 2 ]; then
  echo "warning: fewer than 2 cores: the caches and the load share core 0" >&2
  server_cpu=0; client_cpu=0
fi
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

start_time=$SECONDS
edge_dll=src/TranscodeFarm.Cli/bin/Release/net10.0/transcodefarm.dll
if has edge; then
  echo "building the edge (Release)..."
  build_log=$(mktemp /tmp/transcodefarm-edgebench-build-XXXXXX.log)
  dotnet build src/TranscodeFarm.Cli -c Release -nologo -clp:ErrorsOnly > "$build_log" 2>&1 ||
    { cat "$build_log" >&2; rm -f "$build_log"; echo "the edge does not build" >&2; exit 1; }
  rm -f "$build_log"
fi
if [ -n "$baseline_ref" ]; then
  baseline_src=$(mktemp -d /tmp/transcodefarm-edgebench-baseline-XXXXXX)
  echo "building the baseline edge at $baseline_ref ($(git rev-parse --short "$baseline_ref^{commit}"))..."
  git worktree add --detach "$baseline_src" "$baseline_ref" > /dev/null 2>&1 || { echo "cannot check out $baseline_ref" >&2; exit 2; }
  dotnet build "$baseline_src/src/TranscodeFarm.Cli" -c Release -nologo -clp:ErrorsOnly > "$baseline_src/build.log" 2>&1 ||
    { cat "$baseline_src/build.log" >&2; echo "the baseline edge does not build" >&2; exit 1; }
  baseline_dll=$baseline_src/src/TranscodeFarm.Cli/bin/Release/net10.0/transcodefarm.dll
fi

# --- work folder, process bookkeeping -----------------------------------------------------------------------------
T=$(mktemp -d /tmp/transcodefarm-edgebench-XXXXXX)
chmod 755 "$T" # nginx workers run as nobody when started by root
pids=()
stop_pid() { # stop_pid PID: TERM, up to 10 s, then KILL
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  local kept=() p
  for p in "${pids[@]}"; do [ "$p" != "$pid" ] && kept+=("$p"); done
  pids=("${kept[@]+"${kept[@]}"}")
}
cleanup() {
  local rc=$? i
  trap - EXIT INT TERM
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do stop_pid "${pids[i]}"; done
  if [ "$keep" = 1 ]; then echo "kept $T"; else rm -rf "$T"; fi
  if [ -n "${baseline_src:-}" ]; then git worktree remove --force "$baseline_src" 2>/dev/null || rm -rf "$baseline_src"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick_port() { # a free port (the origin and one cache at a time are running)
  local p
  while :; do
    p=$((20000 + RANDOM % 40000))
    port_free "$p" && break
  done
  echo "$p"
}
wait_http() { # wait_http URL PID NAME LOG: until the URL answers anything (or the process dies / 60 s)
  local i
  for i in $(seq 600); do
    if curl -s -o /dev/null --max-time 2 "$1"; then return 0; fi
    if ! kill -0 "$2" 2>/dev/null; then echo "$3 exited at start; its log:" >&2; tail -n 30 "$4" >&2; exit 1; fi
    sleep 0.1
  done
  echo "$3 did not answer $1 within 60 s; its log:" >&2; tail -n 30 "$4" >&2; exit 1
}
render() { # render TEMPLATE OUT PORT
  local user_line=""
  [ "$(id -u)" -eq 0 ] && user_line="user nobody nogroup;"
  sed -e "s|@DIR@|$T|g" -e "s|@ORIGIN_PORT@|$origin_port|g" -e "s|@PORT@|${3:-}|g" \
      -e "s|@COLD_RATE@|$cold_rate|g" -e "s|@USER_LINE@|$user_line|g" "$1" > "$2"
}

# --- objects: the origin's folder and the edge's filesystem store get the same files -----------------------------
www="$T/origin/www"
store="$T/edge/store" # the edge reads DATA/store until its HTTP origin mode lands; drop this copy then
mkdir -p "$www/hot" "$www/probe" "$store/hot" "$T/origin/tmp" "$T/nginx/tmp" "$T/varnish"
seg_bytes=1572864
head -c "$seg_bytes" /dev/urandom > "$www/hot/seg-00001.m4s"
cp benchmarks/edge/master.m3u8 benchmarks/edge/manifest.mpd "$www/hot/"
[ "$store_copy" = 1 ] && cp "$www"/hot/* "$store/hot/"
printf '#EXTM3U\n# only at the origin: an edge that answers 200 here fetches from the origin\n' > "$www/probe/origin-only.m3u8"
chmod -R a+rX "$T/origin"
sha_of() { sha256sum "$1" | cut -d' ' -f1; }
add_cold() { # add_cold NAME: a fresh random segment at the origin (and in the edge store)
  mkdir -p "$www/$1"
  head -c "$seg_bytes" /dev/urandom > "$www/$1/seg-00001.m4s"
  if [ "$store_copy" = 1 ]; then mkdir -p "$store/$1"; cp "$www/$1/seg-00001.m4s" "$store/$1/"; fi
  chmod -R a+rX "$www/$1"
}

# --- origin -------------------------------------------------------------------------------------------------------
origin_port=$(pick_port)
render benchmarks/edge/origin.conf.template "$T/origin/nginx.conf"
: > "$T/origin/origin.log"
taskset -c "$client_cpu" nginx -p "$T/origin" -c "$T/origin/nginx.conf" -g 'daemon off;' > "$T/origin/stdout.log" 2>&1 &
pids+=($!)
origin_pid=$!
wait_http "http://127.0.0.1:$origin_port/hot/master.m3u8" "$origin_pid" origin "$T/origin/error.log"
origin_count() { # origin_count [URI]: origin requests so far (for one URI, or all)
  if [ -n "${1:-}" ]; then awk -v u="$1" '$2 == u' "$T/origin/origin.log" | wc -l; else wc -l < "$T/origin/origin.log"; fi
}
origin_base=$(origin_count)

# --- the caches ---------------------------------------------------------------------------------------------------
start_baseline() { start_edge "$baseline_dll" baseline; }
start_edge() { # start_edge [DLL NAME]
  local dll=${1:-$edge_dll} name=${2:-edge}
  port=$(pick_port)
  mkdir -p "$T/$name"
  TRANSCODEFARM__Edge__Origin="http://127.0.0.1:$origin_port/" \
  TRANSCODEFARM__Edge__CacheBytes=$((512 * 1024 * 1024)) \
  TRANSCODEFARM__Edge__ManifestTtl=01:00:00 \
  TRANSCODEFARM__Logging__Format=json \
  TRANSCODEFARM__Logging__LogLevel__Default=Warning \
    taskset -c "$server_cpu" dotnet "$dll" edge --url "http://127.0.0.1:$port" --data-dir "$T/$name" \
    > "$T/$name/edge.log" 2>&1 &
  server_pid=$!
  pids+=($!)
  wait_http "http://127.0.0.1:$port/healthz" "$server_pid" "$name" "$T/$name/edge.log"
}
start_nginx() {
  port=$(pick_port)
  render benchmarks/edge/nginx.conf.template "$T/nginx/nginx.conf" "$port"
  taskset -c "$server_cpu" nginx -p "$T/nginx" -c "$T/nginx/nginx.conf" -g 'daemon off;' > "$T/nginx/stdout.log" 2>&1 &
  server_pid=$!
  pids+=($!)
  wait_http "http://127.0.0.1:$port/" "$server_pid" nginx "$T/nginx/error.log"
}
start_varnish() {
  port=$(pick_port)
  render benchmarks/edge/default.vcl.template "$T/varnish/default.vcl"
  # One core: one thread pool, with threads for every wrk connection made up front (default: 2 pools of 100).
  taskset -c "$server_cpu" varnishd -F -n "$T/varnish/work" -a "127.0.0.1:$port" -T 127.0.0.1:0 \
    -f "$T/varnish/default.vcl" -s malloc,512m -p thread_pools=1 -p thread_pool_min=200 \
    > "$T/varnish/varnishd.log" 2>&1 &
  server_pid=$!
  pids+=($!)
  wait_http "http://127.0.0.1:$port/" "$server_pid" varnish "$T/varnish/varnishd.log"
}
vmhwm_kib() { awk '/^VmHWM:/{print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
peak_rss_mib() { # the cache's own memory: the dotnet process; nginx's worker(s); varnish's cache child
  local peer=$1 pid=$2 sum=0 c
  case "$peer" in
    edge|baseline) sum=$(vmhwm_kib "$pid") ;;
    nginx) for c in $(pgrep -P "$pid"); do
             grep -q "worker process" "/proc/$c/cmdline" 2>/dev/null && sum=$((sum + $(vmhwm_kib "$c")))
           done ;;
    varnish) for c in $(pgrep -P "$pid"); do sum=$((sum + $(vmhwm_kib "$c"))); done ;;
  esac
  awk -v k="$sum" 'BEGIN{printf "%.1f", k/1024}'
}
rss_detail() { # every process of the cache, for the record
  local pid=$1 c
  for c in "$pid" $(pgrep -P "$pid"); do
    printf '%s(%s) %s MiB; ' "$(tr '\0' ' ' < "/proc/$c/cmdline" | cut -c1-40 | sed 's/ *$//')" "$c" \
      "$(awk -v k="$(vmhwm_kib "$c")" 'BEGIN{printf "%.1f", k/1024}')"
  done
}
edge_metric() { # edge_metric RESULT: transcodefarm_edge_requests_total{result=RESULT}
  curl -s --max-time 5 "http://127.0.0.1:$port/metrics" |
    awk -v r="transcodefarm_edge_requests_total{result=\"$1\"}" '$1 == r {printf "%d", $2; found=1} END{if(!found) print 0}'
}

# --- measurements -------------------------------------------------------------------------------------------------
declare -A R # R[peer,key]
hot_urls=(hot/seg-00001.m4s hot/master.m3u8 hot/manifest.mpd)
declare -A ctype=([hot/seg-00001.m4s]=video/iso.segment [hot/master.m3u8]=application/vnd.apple.mpegurl
                  [hot/manifest.mpd]=application/dash+xml)

check_objects() { # status, content type, body, and what a repeat request says about caching
  local peer=$1 key i hdr body status ct xc age ok=1 evidence=""
  for key in "${hot_urls[@]}"; do
    for i in 1 2; do
      hdr="$T/$peer.hdr"; body="$T/$peer.body"
      curl -s --max-time 10 -D "$hdr" -o "$body" "http://127.0.0.1:$port/vod/$key" || true
    done
    status=$(awk 'NR==1{print $2}' "$hdr")
    ct=$(awk -F': *' 'tolower($1)=="content-type"{sub(/\r$/,"",$2); print $2}' "$hdr")
    xc=$(awk -F': *' 'tolower($1)=="x-cache"{sub(/\r$/,"",$2); print $2}' "$hdr")
    age=$(awk -F': *' 'tolower($1)=="age"{sub(/\r$/,"",$2); print $2}' "$hdr")
    if [ "$status" != 200 ] || [ "$(sha_of "$body")" != "$(sha_of "$www/$key")" ]; then
      echo "  ERROR: $peer /vod/$key: status $status, body $(stat -c %s "$body") bytes, checksum $( [ "$(sha_of "$body")" = "$(sha_of "$www/$key")" ] && echo ok || echo WRONG)"
      ok=0
    fi
    [ "${ct%%;*}" = "${ctype[$key]}" ] || echo "  warning: $peer /vod/$key: Content-Type '$ct', expected '${ctype[$key]}'"
    evidence+="${key##*/}: X-Cache ${xc:--}${age:+, Age $age}; "
  done
  R[$peer,repeat]=${evidence%; }
  echo "  repeat requests: ${R[$peer,repeat]}"
  [ "$ok" = 1 ] || { echo "$peer serves wrong answers: stopping" >&2; exit 1; }
}

wrk_run() { # wrk_run PEER NAME CONNECTIONS URLPATH SECONDS [quiet]
  local peer=$1 name=$2 c=$3 path=$4 secs=$5 out="$T/wrk-$1-$2.txt"
  taskset -c "$client_cpu" wrk -t1 -c"$c" -d"${secs}s" --timeout 10s --latency -s benchmarks/edge/report.lua \
    "http://127.0.0.1:$port/vod/$path" > "$out" 2>&1 || true
  [ "${6:-}" = quiet ] && return 0
  local rps mbs p99 errs
  rps=$(awk '$1=="total_requests"{r=$2} $1=="total_us"{u=$2} END{if (u>0) printf "%.0f", r/(u/1e6)}' "$out")
  mbs=$(awk '$1=="total_bytes"{b=$2} $1=="total_us"{u=$2} END{if (u>0) printf "%.1f", b/1048576/(u/1e6)}' "$out")
  p99=$(awk '$1=="99%"{print $2}' "$out")
  errs=$(grep -E "Non-2xx|Socket errors" "$out" | tr -s ' ' | paste -sd';' || true)
  R[$peer,${name}_rps]=${rps:-0}
  R[$peer,${name}_mbs]=${mbs:-0}
  printf '  %-22s %9s req/s %9s MB/s   p99 %s%s\n' "$name (${c}c, ${secs}s)" "${rps:-?}" "${mbs:-?}" "${p99:-?}" \
    "${errs:+   !! $errs}"
  [ -n "$errs" ] && R[$peer,errors]+="$name: $errs; "
  return 0
}

cold_bursts() {
  local peer=$1 i name path n fetches=() oks=() secs=() reads=() before after line key val
  for i in $(seq "$bursts"); do
    name="cold-$peer-$i-$RANDOM$RANDOM"
    add_cold "$name"
    path="/$name/seg-00001.m4s"
    is_edge "$peer" && before=$(edge_metric miss)
    declare -A B=()
    while read -r key val; do B[$key]=$val; done < <(taskset -c "$client_cpu" python3 benchmarks/edge/burst.py \
      --port "$port" --path "/vod$path" -n "$burst_size" --length "$seg_bytes" --sha256 "$(sha_of "$www$path")" --timeout 60)
    sleep 0.3 # the origin writes its log line when its response ends
    n=$(origin_count "$path")
    is_edge "$peer" && { after=$(edge_metric miss); reads+=($((after - before))); }
    fetches+=("$n"); oks+=("${B[ok]:-0}"); secs+=("${B[seconds]:-0}")
    printf '  burst %d: %s origin fetch(es), %s/%s bodies identical to the file (%s distinct), %s s to the last byte, statuses %s, X-Cache %s%s\n' \
      "$i" "$n" "${B[ok]:-0}" "$burst_size" "${B[distinct]:-?}" "${B[seconds]:-?}" "${B[statuses]:-?}" "${B[xcache]:--}" \
      "$([ "${B[errors]:-0}" != 0 ] && echo ", ${B[errors]} errors (${B[error]:-})")"
    is_edge "$peer" && [ "${R[$peer,mode]}" = store ] && echo "           (store mode: the edge read its store $((after - before)) time(s); the origin is not used)"
    unset B
  done
  R[$peer,cold_fetches]=$(IFS=' '; echo "${fetches[*]}")
  R[$peer,cold_ok]=$(IFS=' '; echo "${oks[*]}")
  R[$peer,cold_s]=$(printf '%s\n' "${secs[@]}" | sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')
  R[$peer,cold_reads]=$(IFS=' '; echo "${reads[*]+${reads[*]}}")
}

measure() {
  local peer=$1 t0=$SECONDS
  echo
  echo "== $peer =="
  "start_$peer"
  echo "  listening on 127.0.0.1:$port (pid $server_pid, core $server_cpu; wrk and the origin on core $client_cpu)"
  if is_edge "$peer"; then
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/vod/probe/origin-only.m3u8")" = 200 ]; then
      R[$peer,mode]=origin
      echo "  mode: HTTP origin (Edge:Origin=http://127.0.0.1:$origin_port/)"
    else
      R[$peer,mode]=store
      echo "  mode: filesystem store $store (this build ignores Edge:Origin: origin fetches cannot be counted for the edge)"
    fi
  fi
  check_objects "$peer"
  local url
  for url in "${hot_urls[@]}"; do wrk_run "$peer" warmup 16 "$url" "$warmup" quiet; done
  wrk_run "$peer" warmup 128 "${hot_urls[0]}" 1 quiet
  local o_before m_before=0 s_before=0
  o_before=$(origin_count)
  is_edge "$peer" && { m_before=$(edge_metric miss); s_before=$(edge_metric bypass); }
  wrk_run "$peer" seg16 16 hot/seg-00001.m4s "$seconds"
  wrk_run "$peer" seg128 128 hot/seg-00001.m4s "$seconds"
  wrk_run "$peer" m3u8 16 hot/master.m3u8 "$seconds"
  wrk_run "$peer" mpd 16 hot/manifest.mpd "$seconds"
  R[$peer,hot_origin]=$(( $(origin_count) - o_before ))
  local note="origin fetches during the hot runs: ${R[$peer,hot_origin]}"
  if is_edge "$peer"; then
    R[$peer,hot_misses]=$(( $(edge_metric miss) + $(edge_metric bypass) - m_before - s_before ))
    note+="; edge misses+bypasses (store or origin reads) during the hot runs: ${R[$peer,hot_misses]}"
  fi
  echo "  $note"
  cold_bursts "$peer"
  R[$peer,rss]=$(peak_rss_mib "$peer" "$server_pid")
  R[$peer,rss_detail]=$(rss_detail "$server_pid")
  echo "  peak RSS (VmHWM): ${R[$peer,rss]} MiB  [$( echo "${R[$peer,rss_detail]}" | sed 's/; $//')]"
  stop_pid "$server_pid"
  echo "  ($((SECONDS - t0)) s)"
}

echo "edge benchmark: ${peers[*]}; wrk ${seconds}s per run after ${warmup}s warm-up per object; $bursts cold burst(s) of $burst_size;"
echo "origin 127.0.0.1:$origin_port (nginx, static, cold objects at $cold_rate/s); work folder $T"
echo "objects: 1.5 MiB segment ($seg_bytes B random), master.m3u8 ($(stat -c %s "$www/hot/master.m3u8") B), manifest.mpd ($(stat -c %s "$www/hot/manifest.mpd") B)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (other work on this machine skews the figures)"
for p in "${peers[@]}"; do measure "$p"; done

# --- table --------------------------------------------------------------------------------------------------------
val() { echo "${R[$1,$2]:--}"; }
ratio() { # ratio KEY PEER: edge/peer (PEER may be baseline)
  local e=${R[edge,$1]:-} o=${R[$2,$1]:-}
  if [[ "$e" =~ ^[0-9.]+$ && "$o" =~ ^[0-9.]+$ ]] && awk -v o="$o" 'BEGIN{exit !(o>0)}'; then
    awk -v e="$e" -v o="$o" 'BEGIN{printf "%.2f", e/o}'
  else echo "-"; fi
}
columns=(edge nginx varnish)
[ -n "$baseline_ref" ] && columns=(edge baseline nginx varnish)
row() { # row LABEL KEY [noratio]
  local cols=() p
  for p in "${columns[@]}"; do cols+=("$(val "$p" "$2")"); done
  if [ "${3:-}" = noratio ]; then
    cols+=(- -)
    [ -n "$baseline_ref" ] && cols+=(-)
  else
    [ -n "$baseline_ref" ] && cols+=("$(ratio "$2" baseline)")
    cols+=("$(ratio "$2" nginx)" "$(ratio "$2" varnish)")
  fi
  printf '%-44s' "$1"; printf ' %13s' "${cols[@]}"; printf '\n'
}
echo
echo "== results (wrk ${seconds}s, cache on 1 core; MB = 2^20 bytes; higher is better unless noted) =="
header=("${columns[@]}")
[ -n "$baseline_ref" ] && header+=(edge/baseline)
header+=(edge/nginx edge/varnish)
printf '%-44s' ""; printf ' %13s' "${header[@]}"; printf '\n'
[ -n "$baseline_ref" ] && echo "(baseline: the edge built at $baseline_ref, $(git rev-parse --short "$baseline_ref^{commit}"))"
row "1.5 MiB segment, 16c: req/s" seg16_rps
row "1.5 MiB segment, 16c: MB/s" seg16_mbs
row "1.5 MiB segment, 128c: req/s" seg128_rps
row "1.5 MiB segment, 128c: MB/s" seg128_mbs
row "master.m3u8, 16c: req/s" m3u8_rps
row "master.m3u8, 16c: MB/s" m3u8_mbs
row "manifest.mpd, 16c: req/s" mpd_rps
row "manifest.mpd, 16c: MB/s" mpd_mbs
row "origin fetches in hot runs" hot_origin noratio
row "cold burst: origin fetches" cold_fetches noratio
row "cold burst: identical bodies" cold_ok noratio
if [ "${R[edge,mode]:-}" = store ]; then # no slow origin behind the edge: no like-for-like ratio
  row "cold burst: s to last, median (lower better)" cold_s noratio
else
  row "cold burst: s to last, median (lower better)" cold_s
fi
row "peak RSS MiB (lower is better)" rss
if has edge && [ "${R[edge,mode]:-}" = store ]; then
  echo "(edge in store mode: its origin-fetch cells count nothing; store reads per burst: ${R[edge,cold_reads]:-?})"
fi

# --- summary ------------------------------------------------------------------------------------------------------
echo
echo "== summary =="
for p in "${peers[@]}"; do
  verdict="caches"
  if [ "${R[$p,hot_origin]}" != 0 ]; then verdict="DID NOT CACHE (origin log grew by ${R[$p,hot_origin]} during the hot runs)"; fi
  if is_edge "$p" && [ "${R[$p,hot_misses]:-0}" != 0 ]; then verdict="DID NOT CACHE everything (${R[$p,hot_misses]} misses during the hot runs)"; fi
  extra=""
  is_edge "$p" && extra=", ${R[$p,hot_misses]} misses in /metrics"
  echo "- $p $verdict: ${R[$p,hot_origin]} origin fetches during the hot runs$extra; repeat request: ${R[$p,repeat]}"
done
for p in "${peers[@]}"; do
  if is_edge "$p" && [ "${R[$p,mode]}" = store ]; then
    echo "- cold burst, $p: store mode, no origin involved (store reads per burst: ${R[$p,cold_reads]}); bodies identical: ${R[$p,cold_ok]} of $burst_size"
    continue
  fi
  goal="exactly 1 origin fetch per burst: $(awk -v f="${R[$p,cold_fetches]}" 'BEGIN{n=split(f,a," "); for(i=1;i<=n;i++) if(a[i]!=1) {print "NO"; exit} print "yes"}')"
  echo "- cold burst, $p: origin fetches ${R[$p,cold_fetches]} ($goal); bodies identical: ${R[$p,cold_ok]} of $burst_size; median ${R[$p,cold_s]} s to the last byte"
done
if has edge; then
  for p in baseline nginx varnish; do
    has "$p" || continue
    echo "- edge/$p: segment 16c $(ratio seg16_rps "$p"), 128c $(ratio seg128_rps "$p"), master $(ratio m3u8_rps "$p"), MPD $(ratio mpd_rps "$p") (req/s); peak RSS $(ratio rss "$p")"
  done
fi
for p in "${peers[@]}"; do
  [ -n "${R[$p,errors]:-}" ] && echo "- $p: wrk reported errors: ${R[$p,errors]}"
done
echo "- RSS: edge = the dotnet process; nginx = its worker (its cache is in files, i.e. the page cache, not in RSS); varnish = the cache child (malloc storage included)"
echo "- load average now: $(cut -d' ' -f1-3 /proc/loadavg); whole run $((SECONDS - start_time)) s (build included)"
