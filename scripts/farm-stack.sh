#!/usr/bin/env bash
# The farm as containers, end to end (README "Farm stack", decision 034): builds the images from docker/ (the same files
# users build), starts docker/compose.farm.yaml (PostgreSQL, Ceph RGW, two workers, an edge, a shield edge, Prometheus),
# then the README farm walkthrough with hosts as containers:
#   1. a clip dropped into the S3 ingest prefix becomes an asset; it plays through the edge (ffprobe over HTTP, hls.js
#      in headless Chromium); a job whose quality gate fails fails with a qc error;
#   2. a longer job: the worker that claimed it is killed mid-encode (docker kill) and the other worker finishes it;
#   3. a dead letter: a job allowed one attempt loses its worker mid-encode; the other worker dead-letters it and
#      Prometheus counts it;
#   4. the web console, signed in with the admin token, shows those jobs, the workers and a failed S3 upload;
#   5. edge traffic (hits, a stale manifest on the shield, a purge, then the parent edge stopped: an origin error), and
#      every dashboard panel query (docker/grafana/*.json) must return series from the stack's Prometheus.
# Tears everything down on exit and prints how long each phase took. Exit 0 only when every step passed.
#   scripts/farm-stack.sh            FARM_STACK_PORT_BASE (41000: ports BASE..BASE+40), FARM_STACK_KEEP=1 leaves it up
# Needs root for the Docker engine (started here, with no bridge network, when none answers; stopped again on exit).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

port_base=${FARM_STACK_PORT_BASE:-41000}
export POSTGRES_PORT=$port_base RGW_PORT=$((port_base + 10)) EDGE_PORT=$((port_base + 20)) SHIELD_PORT=$((port_base + 21)) \
  WORKER1_PORT=$((port_base + 30)) WORKER2_PORT=$((port_base + 31)) PROMETHEUS_PORT=$((port_base + 40))
base_image=${FARM_STACK_BASE_IMAGE:-local/debian:bookworm}
edge=http://127.0.0.1:$EDGE_PORT shield=http://127.0.0.1:$SHIELD_PORT prometheus=http://127.0.0.1:$PROMETHEUS_PORT
work=$(mktemp -d /tmp/transcodefarm-stack-XXXXXX)
chmod 755 "$work"
# The engine's own client (Debian's docker.io, installed below): a newer `docker` earlier on PATH may lack the buildx
# plugin its BuildKit builds need, where this one uses the engine's built-in BuildKit.
docker() { if [ -x /usr/bin/docker ]; then /usr/bin/docker "$@"; else command docker "$@"; fi; }
compose() { docker-compose -p transcodefarm-stack -f docker/compose.farm.yaml "$@"; }

# ---------- phases, timings, failures ----------
phases=() phase_name="" phase_start=$SECONDS total_start=$SECONDS
phase() {
  [ -z "$phase_name" ] || phases+=("$(printf '%-34s %4d s' "$phase_name" $((SECONDS - phase_start)))")
  phase_name=$1 phase_start=$SECONDS
  [ -z "$1" ] || echo "== farm stack: $1"
}
report() {
  phase ""
  echo "farm stack timings:"
  printf '  %s\n' "${phases[@]}"
  printf '  %-34s %4d s\n' total $((SECONDS - total_start))
}
fail() { # fail SERVICE|- MESSAGE: the service's last log lines, then the reason
  local service=$1
  shift
  if [ "$service" != - ]; then
    echo "---- last log lines of $service ----" >&2
    compose logs --no-color --tail 60 "$service" >&2 || true
  fi
  echo "farm stack FAILED in '$phase_name': $*" >&2
  exit 1
}

dockerd_pid=""
cleanup() {
  local status=$?
  set +e
  if [ -n "${FARM_STACK_KEEP:-}" ] && [ $status -eq 0 ]; then
    echo "left running (FARM_STACK_KEEP): docker-compose -p transcodefarm-stack -f docker/compose.farm.yaml down -v"
  else
    [ -z "$phase_name" ] || phase "tear down"
    compose --profile cli kill >/dev/null 2>&1 # nothing to keep: no need to wait for graceful stops
    compose --profile cli down -v --remove-orphans >/dev/null 2>&1
    if [ -n "$dockerd_pid" ]; then
      kill "$dockerd_pid" 2>/dev/null
      for _ in $(seq 50); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 0.2; done
    fi
  fi
  rm -rf "$work"
  report
  [ $status -eq 0 ] && echo "farm stack: PASSED" || echo "farm stack: FAILED (exit $status)" >&2
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_until() { # wait_until SECONDS COMMAND...: true once COMMAND succeeds, false after SECONDS
  local deadline=$((SECONDS + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt "$deadline" ] || return 1
    sleep 1
  done
}
json() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s);const r=(new Function("v","return ("+process.argv[1]+")"))(v);console.log(typeof r==="object"?JSON.stringify(r):r??"")})' "$1"; }

# ---------- 1. tools, engine, base image, app ----------
phase "install tools"
ensure_apt_packages docker.io docker-compose debootstrap curl
ensure_ffmpeg
scripts/browser-deps.sh >/dev/null

phase "engine, base image, images"
if ! docker info >/dev/null 2>&1; then
  [ "$(id -u)" -eq 0 ] || fail - "no Docker engine answers, and starting one (dockerd) needs root"
  setsid dockerd --bridge=none --iptables=false --ip-masq=false >"$work/dockerd.log" 2>&1 </dev/null &
  dockerd_pid=$!
  wait_until 60 docker info || { tail -n 30 "$work/dockerd.log" >&2; fail - "the Docker engine did not start"; }
fi
build() { # build TAG DOCKERFILE [ARGS...]: one image on the base image, its log in $work
  local tag=$1 file=$2 start=$SECONDS
  shift 2
  DOCKER_BUILDKIT=1 docker build --network host --progress plain -f "$file" --build-arg BASE="$base_image" "$@" -t "$tag" . \
    >"$work/build-${tag%%:*}.log" 2>&1 || { tail -n 40 "$work/build-${tag%%:*}.log" >&2; echo "docker build of $tag failed" >&2; return 1; }
  echo "built $tag ($((SECONDS - start)) s, $(grep -c ' CACHED$' "$work/build-${tag%%:*}.log") steps cached)"
}
# In the background: the base image (a minimal Debian from the distribution's mirror, as no image registry is reachable;
# kept in the engine between runs), then the three service images at once. Mostly downloads and dpkg, so they overlap
# well with the app's publish, which is mostly CPU.
service_images() {
  if ! docker image inspect "$base_image" >/dev/null 2>&1; then
    debootstrap --variant=minbase bookworm "$work/rootfs" >"$work/debootstrap.log" 2>&1 \
      || { tail -n 30 "$work/debootstrap.log" >&2; echo "debootstrap failed" >&2; return 1; }
    tar -C "$work/rootfs" -c . | docker import - "$base_image" >/dev/null
    rm -rf "$work/rootfs"
  fi
  local pids=() pid status=0
  for image in postgres rgw prometheus; do build "transcodefarm-$image:latest" "docker/$image/Dockerfile" & pids+=($!); done
  # The app image's runtime stage (ffmpeg from apt) into the build cache, so the app's own build is a copy.
  build transcodefarm-runtime:latest docker/Dockerfile --target runtime & pids+=($!)
  for pid in "${pids[@]}"; do wait "$pid" || status=1; done
  return $status
}
service_images & services_pid=$!
rm -rf artifacts/docker/app
dotnet publish src/TranscodeFarm.Cli -c Release -r linux-x64 --self-contained -p:PublishReadyToRun=true \
  -o artifacts/docker/app -nologo -clp:ErrorsOnly -v:q >"$work/publish.log" 2>&1 || { cat "$work/publish.log" >&2; fail - "dotnet publish failed"; }
echo "published the app ($((SECONDS - phase_start)) s)"
# After the warmed runtime stage (else this build would install ffmpeg a second time beside it).
wait "$services_pid" || fail - "the base image or a service image did not build"
build transcodefarm:latest docker/Dockerfile --build-arg APP=prebuilt || fail - "the app image did not build"

# ---------- 2. the stack ----------
phase "start the stack"
hex() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }
export TRANSCODEFARM_S3_ACCESS_KEY="stack$(hex 6)" TRANSCODEFARM_S3_SECRET_KEY=$(hex 20) TRANSCODEFARM_DB_PASSWORD=$(hex 12) \
  TRANSCODEFARM_ADMIN_TOKEN=$(hex 16) TRANSCODEFARM_DRM_MASTER_KEY=$(hex 32) TRANSCODEFARM_DRM_TOKEN_KEY=$(hex 32) \
  TRANSCODEFARM_PROFILES_DIR="$work/profiles" TRANSCODEFARM_MEDIA_DIR="$work/media" POSTGRES_OPTIONS="-c fsync=off -c synchronous_commit=off"
mkdir -p "$work/profiles" "$work/media"
cp ffmpeg-profiles/*.json "$work/profiles/"
# A slow ladder (veryslow preset), so a worker can be killed while it encodes; a ladder whose 144p rung is negated, so
# the quality gate fails it.
cat >"$work/profiles/stack-slow.json" <<'JSON'
{ "name": "stack-slow", "segmentSeconds": 2, "gopSeconds": 1,
  "video": [ { "name": "240p", "height": 240, "bitrateKbps": 400, "preset": "veryslow" } ],
  "audio": [ { "name": "aac", "bitrateKbps": 64, "channels": 1 } ] }
JSON
cat >"$work/profiles/stack-qc-fail.json" <<'JSON'
{ "name": "stack-qc-fail", "segmentSeconds": 2, "gopSeconds": 1,
  "video": [ { "name": "240p", "height": 240, "bitrateKbps": 400, "preset": "ultrafast" },
             { "name": "144p", "height": 144, "bitrateKbps": 150, "preset": "ultrafast", "filter": "negate" } ],
  "audio": [ { "name": "aac", "bitrateKbps": 64, "channels": 1 } ] }
JSON
chmod -R a+rX "$work/profiles" "$work/media"
compose down -v --remove-orphans >/dev/null 2>&1 || true
for port in "$POSTGRES_PORT" "$RGW_PORT" $((RGW_PORT + 1)) $((RGW_PORT + 2)) "$EDGE_PORT" "$SHIELD_PORT" "$WORKER1_PORT" \
  "$WORKER2_PORT" "$PROMETHEUS_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    fail - "port $port is already in use: set FARM_STACK_PORT_BASE to a free range (BASE..BASE+40)"
  fi
done
compose up -d postgres rgw prometheus migrate store-init worker1 worker2 edge edge-shield >"$work/up.log" 2>&1 || {
  cat "$work/up.log" >&2
  for service in postgres rgw migrate store-init; do compose logs --no-color --tail 20 "$service" >&2 || true; done
  fail - "docker-compose up failed"
}
for service in worker1 worker2 edge edge-shield; do
  deadline=$((SECONDS + 120))
  until [ "$(docker inspect -f '{{.State.Health.Status}}' "$(compose ps -q "$service")")" = healthy ]; do
    state=$(docker inspect -f '{{.State.Status}} (exit code {{.State.ExitCode}})' "$(compose ps -q "$service")")
    [[ $state != exited* ]] || fail "$service" "$service stopped: $state"
    [ $SECONDS -lt $deadline ] || fail "$service" "$service is not healthy (its /healthz) after 120 s"
    sleep 1
  done
done

tf() { compose run --rm -T cli "$@" 2>"$work/cli.err" || { cat "$work/cli.err" >&2; return 1; }; }
job_field() { tf jobs show "$1" --json | json "$2"; }
wait_job() { # wait_job ID SECONDS STATES...: the job's state once it is one of STATES
  local id=$1 deadline=$((SECONDS + $2)) state
  shift 2
  while :; do
    state=$(job_field "$id" v.job.state) || state=""
    for s in "$@"; do [ "$state" = "$s" ] && { echo "$state"; return 0; }; done
    [ $SECONDS -lt "$deadline" ] || { echo "job $id is '$state' after the wait" >&2; return 1; }
    sleep 2
  done
}
clip() { # clip FILE SECONDS: a tiny test clip with sound, made on the host
  ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=320x240:rate=25:duration=$2" \
    -f lavfi -i "sine=frequency=440:duration=$2" -c:v libx264 -preset veryfast -c:a aac -shortest "$1"
}

# ---------- 3. S3 ingest, playback, a quality-gate failure ----------
phase "ingest from S3, play, qc failure"
clip "$work/media/arrival.mp4" 4
# Into the ingest prefix (Ingest:S3Url=s3://media/incoming/) with a SigV4-signed PUT, as any S3 client would.
curl -fsS --aws-sigv4 "aws:amz:us-east-1:s3" --user "$TRANSCODEFARM_S3_ACCESS_KEY:$TRANSCODEFARM_S3_SECRET_KEY" \
  -H "x-amz-content-sha256: $(sha256sum "$work/media/arrival.mp4" | cut -d' ' -f1)" \
  -T "$work/media/arrival.mp4" "http://127.0.0.1:$RGW_PORT/media/incoming/arrival.mp4" || fail rgw "upload to the ingest prefix failed"
# A file that is not media, into the same prefix: it must end in incoming/failed/ with a report the console shows.
head -c 4096 /dev/urandom >"$work/broken.mp4"
curl -fsS --aws-sigv4 "aws:amz:us-east-1:s3" --user "$TRANSCODEFARM_S3_ACCESS_KEY:$TRANSCODEFARM_S3_SECRET_KEY" \
  -H "x-amz-content-sha256: $(sha256sum "$work/broken.mp4" | cut -d' ' -f1)" \
  -T "$work/broken.mp4" "http://127.0.0.1:$RGW_PORT/media/incoming/broken.mp4" || fail rgw "upload of the broken file failed"
clip "$work/media/negated.mp4" 3
qc_job=$(tf submit /media/negated.mp4 --profile stack-qc-fail | sed -n 's/^submitted job //p')
[ -n "$qc_job" ] || fail cli "submit of the quality-gate job printed no job id"
ingested() { tf jobs list --json | json 'v.find(j => j.sourceName === "arrival.mp4")?.id' | grep .; }
wait_until 90 ingested || fail worker1 "the clip in s3://media/incoming/ never became a job"
arrival=$(ingested)
[ "$(wait_job "$arrival" 120 succeeded failed dead)" = succeeded ] || { tf jobs show "$arrival" >&2; fail worker1 "job $arrival did not succeed"; }
master="$edge/vod/$arrival/master.m3u8"
probe=$(ffprobe -v error -show_entries stream=codec_type -show_entries format=duration -of json "$master") \
  || fail edge "ffprobe could not read $master"
duration=$(json 'Math.round(Number(v.format.duration))' <<<"$probe")
[ "$(json 'v.streams.filter(s => s.codec_type === "video").length > 0 && v.streams.some(s => s.codec_type === "audio")' <<<"$probe")" = true ] \
  && [ "$duration" -ge 3 ] && [ "$duration" -le 5 ] || fail edge "ffprobe of $master: $probe"
echo "ffprobe over HTTP: $master has video and audio, ${duration} s"
played=$(node tests/browser/play.mjs --url "$master" --player hlsjs --seconds 2 --timeout 40 2>"$work/play.log" | tail -n 1) || true
[ "$(json 'v.ok' <<<"$played")" = true ] || { cat "$work/play.log" >&2; fail edge "hls.js in Chromium did not play $master: $played"; }
echo "hls.js in headless Chromium: $played"
qc_state=$(wait_job "$qc_job" 120 failed dead succeeded) || fail worker1 "job $qc_job did not end"
[ "$qc_state" != succeeded ] || fail worker1 "job $qc_job passed a quality gate it should fail"
qc_error=$(job_field "$qc_job" v.job.error)
[[ $qc_error == qc* ]] || fail worker1 "job $qc_job failed, but not at the quality gate: $qc_error"
echo "quality gate: job $qc_job failed: ${qc_error%%$'\n'*}"

# ---------- 4. a worker killed mid-encode ----------
phase "kill a worker mid-encode"
clip "$work/media/long.mp4" 20
long_job=$(tf submit /media/long.mp4 --profile stack-slow | sed -n 's/^submitted job //p')
[ -n "$long_job" ] || fail cli "submit of the long job printed no job id"
encoding() { [ "$(job_field "$long_job" '(v.job.state === "running" && v.job.progress?.stage) || ""')" = encode ]; }
wait_until 60 encoding || fail worker1 "job $long_job never reached its encode"
running_on() { local metrics; metrics=$(curl -fsS "http://127.0.0.1:$1/metrics") && grep -q '^transcodefarm_jobs_running 1' <<<"$metrics"; }
victim="" survivor=""
if running_on "$WORKER1_PORT"; then victim=worker1 survivor=worker2; elif running_on "$WORKER2_PORT"; then victim=worker2 survivor=worker1; fi
[ -n "$victim" ] || fail - "neither worker reports the running job on /metrics"
docker kill "$(compose ps -q "$victim")" >/dev/null
echo "killed $victim while it encoded job $long_job ($(job_field "$long_job" 'Math.round(100 * v.job.progress.fraction)')%)"
[ "$(wait_job "$long_job" 180 succeeded failed dead)" = succeeded ] || { tf jobs show "$long_job" >&2; fail "$survivor" "job $long_job did not finish on $survivor"; }
owners=$(job_field "$long_job" '[...new Set(v.events.map(e => e.workerId).filter(Boolean))].length')
[ "$owners" -ge 2 ] || fail "$survivor" "job $long_job finished, but not on a second worker: $(tf jobs show "$long_job")"
tf jobs show "$long_job" | grep -E 'taken over|claimed' || true
long_duration=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$edge/vod/$long_job/master.m3u8" | cut -d. -f1)
[ "${long_duration:-0}" -ge 19 ] || fail edge "the taken-over asset is ${long_duration:-?} s long, not 20"
echo "job $long_job finished on $survivor after $victim was killed; it plays for ${long_duration} s"

# ---------- 5. a dead letter: a worker dies on a job's last attempt ----------
phase "dead letter"
compose start "$victim" >/dev/null 2>&1 || fail "$victim" "could not start $victim again"
healthy() { [ "$(docker inspect -f '{{.State.Health.Status}}' "$(compose ps -q "$1")")" = healthy ]; }
wait_until 90 healthy "$victim" || fail "$victim" "$victim is not healthy again after 90 s"
clip "$work/media/doomed.mp4" 12
# Submitted with one attempt allowed: when its worker dies, the other worker's next claim finds the lease expired on the
# last attempt and dead-letters the job instead of running it again (and counts it: the dead-letter alert's metric).
doomed=$(compose run --rm -T -e TRANSCODEFARM__Worker__MaxAttempts=1 cli submit /media/doomed.mp4 --profile stack-slow 2>"$work/cli.err" \
  | sed -n 's/^submitted job //p') || true
[ -n "$doomed" ] || { cat "$work/cli.err" >&2; fail cli "submit of the one-attempt job printed no job id"; }
# Any running stage will do: the worker dies on the attempt whatever it was doing.
doomed_running() { [ "$(job_field "$doomed" 'v.job.state')" = running ]; }
wait_until 90 doomed_running || { tf jobs show "$doomed" >&2 || true; compose logs --no-color --tail 15 worker1 worker2 >&2 || true
  fail - "job $doomed never ran"; }
doomed_on=""
for _ in $(seq 15); do # the running gauge follows the claim within a moment
  if running_on "$WORKER1_PORT"; then doomed_on=worker1 other=worker2; break; fi
  if running_on "$WORKER2_PORT"; then doomed_on=worker2 other=worker1; break; fi
  sleep 1
done
[ -n "$doomed_on" ] || fail - "neither worker reports job $doomed running on /metrics"
docker kill "$(compose ps -q "$doomed_on")" >/dev/null
[ "$(wait_job "$doomed" 60 dead failed succeeded)" = dead ] || { tf jobs show "$doomed" >&2; fail "$other" "job $doomed was not dead-lettered"; }
echo "dead letter: job $doomed ($(job_field "$doomed" v.job.error)) after $doomed_on was killed on its only attempt"
dead_counted() { curl -fsS "$prometheus/api/v1/query" --data-urlencode 'query=sum(transcodefarm_jobs_dead_lettered_total)' \
  | json 'Number(v.data.result[0]?.value[1] ?? 0) >= 1' | grep -qx true; }
wait_until 30 dead_counted || fail prometheus "Prometheus never saw the dead letter (transcodefarm_jobs_dead_lettered_total)"

# ---------- 6. the web console on the farm's PostgreSQL ----------
phase "console"
jar="$work/console.cookies"
code=$(curl -sS -o /dev/null -w '%{http_code}' -c "$jar" --data-urlencode "token=$TRANSCODEFARM_ADMIN_TOKEN" \
  --data-urlencode next=/console/jobs "$edge/console/signin")
[ "$code" = 302 ] || fail edge "console sign-in answered $code"
console_api() { curl -fsS -b "$jar" "$edge/console/api/$1"; }
states=$(console_api jobs | json "Object.fromEntries(v.jobs.map(j => [j.id, j.state]))") || fail edge "console jobs API"
for expected in "$arrival=succeeded" "$qc_job=$qc_state" "$long_job=succeeded" "$doomed=dead"; do
  [ "$(json "v['${expected%%=*}']" <<<"$states")" = "${expected#*=}" ] || fail edge "the console shows ${expected%%=*} as $(json "v['${expected%%=*}']" <<<"$states"), not ${expected#*=}"
done
workers=$(console_api workers | json 'v.workers.length') || fail edge "console workers API"
[ "$workers" -ge 2 ] || fail edge "the console lists $workers workers, not 2"
broken_shown() { console_api drop | json 'v.s3?.failures.some(f => f.file === "broken.mp4" && f.present && /not a media file|could not read/.test(f.reason ?? "")) === true' | grep -qx true; }
wait_until 60 broken_shown || fail edge "the console's drop page never listed broken.mp4 in the prefix's failed/: $(console_api drop)"
echo "console: signed in; jobs in 4 states, $workers workers and the prefix's failed broken.mp4 ($(console_api drop | json 'v.s3.failures.find(f => f.file === "broken.mp4").reason'))"

# ---------- 7. edge traffic and the dashboards ----------
phase "edge traffic, dashboards"
get() { curl -fsS -o /dev/null "$1"; }
media=$(curl -fsS "$edge/vod/$arrival/master.m3u8" | grep -v '^#' | grep . | head -n 1) || fail edge "GET master.m3u8"
media_dir=""
[[ $media != */* ]] || media_dir=${media%/*}/
segment=$media_dir$(curl -fsS "$edge/vod/$arrival/$media" | grep -v '^#' | grep . | head -n 1) || fail edge "GET $media"
for base_url in "$edge" "$shield"; do
  for path in master.m3u8 manifest.mpd "$segment" "$segment" master.m3u8; do
    get "$base_url/vod/$arrival/$path" || fail edge "GET $base_url/vod/$arrival/$path"
  done
done
sleep 1.5 # the shield's root manifests are now past their 1 s TTL: served stale while revalidated
get "$shield/vod/$arrival/master.m3u8" || fail edge-shield "stale GET from the shield"
code=$(curl -sS -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $TRANSCODEFARM_ADMIN_TOKEN" "$edge/admin/purge?asset=$arrival")
[ "$code" = 200 ] || fail edge "purge answered $code"
# The parent edge goes away: the shield answers a segment it never cached with 502 and counts an origin error.
compose stop -t 10 edge >/dev/null 2>&1
code=$(curl -sS -o /dev/null -w '%{http_code}' "$shield/vod/$long_job/master.m3u8")
[ "$code" = 502 ] || [ "$code" = 504 ] || fail edge-shield "the shield answered $code for an uncached object with its parent down"
echo "edge: hits, a stale manifest on the shield, a purge, and a $code from the shield with its parent down"
node scripts/dashboard-queries.mjs --prometheus "$prometheus" --timeout 90 docker/grafana/*.json \
  || { compose logs --no-color --tail 20 prometheus >&2; fail - "dashboard panels without data"; }
