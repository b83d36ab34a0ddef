#!/usr/bin/env bash
# CPU seconds of the farm host process itself (not its ffmpeg children, from /proc/PID/stat) at start-up, idle for 10 s
# after three 1-second warm-up jobs, and during two 10 s 1080p jobs: what the host takes from ffmpeg (decision 023).
# Ingest and quality gate set as in the e2e benchmark (StableFor 0, scan every 0.1 s, gate off).
# Uses the clips benchmarks/e2e-ladder.sh made (run it once first). Runtime knobs go in the environment:
#   benchmarks/host-cpu.sh DIR_WITH_transcodefarm.dll LABEL      e.g. DOTNET_TieredCompilation=0 benchmarks/host-cpu.sh ... tc0
#   PERF=1 also records `perf record -g` of the job into $OUT/perf-LABEL.data (add DOTNET_PerfMapEnabled=1 and
#   DOTNET_EnableWriteXorExecute=0 for managed frames); DOTNET_JitStdOutFile=F DOTNET_JitDisasmSummary=1 counts JIT.
set -euo pipefail
dir=$1; label=$2
clips=${TMPDIR:-/tmp}/transcodefarm-e2e
out=${OUT:-${TMPDIR:-/tmp}/transcodefarm-host-cpu}
data=$out/data-$label; rm -rf "$data"; mkdir -p "$data/drop"
port=$((20000 + RANDOM % 10000))
TRANSCODEFARM__Ingest__StableFor=00:00:00 TRANSCODEFARM__Ingest__ScanInterval=00:00:00.100 TRANSCODEFARM__Logging__Format=json TRANSCODEFARM__Fingerprint__QualityGate=false \
  dotnet "$dir/transcodefarm.dll" --data-dir "$data" run --url "http://127.0.0.1:$port" > "$out/farm-$label.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.05; done
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
seconds() { echo "scale=2; $1 / $(getconf CLK_TCK)" | bc; }
jit() { if [ -n "${DOTNET_JitStdOutFile:-}" ]; then wc -l < "$DOTNET_JitStdOutFile"; else echo "-"; fi; }
drop() {
  cp "$1" "$data/drop/$2.part"; mv "$data/drop/$2.part" "$data/drop/$2"
  until [ -e "$data/drop/done/$2" ] || [ -e "$data/drop/failed/$2" ]; do sleep 0.1; done
}
echo "$label: start-up $(seconds "$(ticks)") s"
for w in 0 1 2; do drop "$clips/warmup-$w-1s.mp4" "warmup-$w.mp4"; done
c0=$(ticks); j0=$(jit); sleep 10; c1=$(ticks); j1=$(jit)
echo "$label: idle 10 s after the warm-ups $(seconds $((c1 - c0))) s (JIT lines $j0 -> $j1)"
if [ -n "${PERF:-}" ]; then perf record -F 997 -g -p "$pid" -o "$out/perf-$label.data" > "$out/perf-$label.out" 2>&1 & perf=$!; sleep 0.5; fi
c2=$(ticks)
drop "$clips/source-1080p-10s.mp4" bench.mp4
c3=$(ticks); j3=$(jit)
if [ -n "${PERF:-}" ]; then kill -INT "$perf"; wait "$perf" || true; fi
echo "$label: one 10 s job $(seconds $((c3 - c2))) s (JIT lines -> $j3)"
# A second job with other content (the same would be a duplicate): the host once the job's own code paths have run.
second=$clips/source2-1080p-10s.mp4
if [ ! -e "$second" ]; then
  ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=1920x1080:rate=30:duration=10" \
    -f lavfi -i "sine=frequency=660:sample_rate=48000:duration=10" -vf hue=h=90 -c:v libx264 -preset veryfast -b:v 8M \
    -pix_fmt yuv420p -c:a aac -shortest "$second"
fi
c4=$(ticks)
drop "$second" bench2.mp4
c5=$(ticks); j5=$(jit)
echo "$label: a second 10 s job $(seconds $((c5 - c4))) s (JIT lines -> $j5)"
