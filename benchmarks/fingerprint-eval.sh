#!/usr/bin/env bash
# Fingerprint evaluation (issue 6): builds a corpus of varied originals (lavfi generators; photographs from Debian's
# python3-skimage data, panned and zoomed; espeak-ng speech; music from Debian's abe-data) and transformed copies
# (re-encode, 240p, crop, letterbox, overlay, eq, 24 fps, excerpt, flip, audio only), then prints precision, recall,
# false positives and offset error per transformation, extraction speed on one core (1080p) and query latency over
# 10,000 synthetic assets. Issue 17: hard negatives in two halves (false claims per kind, threshold sweep), picture alone
# on muted copies. A benchmark, not a test: it prints "GOAL MISSED" lines and exits 0.
#   benchmarks/fingerprint-eval.sh [--quick] [--corpus DIR] [--seconds 30] [--synthetic-assets 10000] [--queries 200] [--jobs 2]
#     [--negatives-per-kind 6] [--accuracy-only] [--latency-only] [--full-decode] [--build-only]
#     [--fingerprint-cache DIR]
# Copies and negatives are fingerprinted as standalone extraction does (fast decode, Media:FingerprintFastDecode);
# --full-decode decodes them fully, as the encode does for the originals.
# The corpus is kept (default benchmarks/TranscodeFarm.FingerprintEval/bin/corpus) and reused by the next run.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

# Copies FILES (paths inside the package) of a Debian package to DEST without installing it or its dependencies
# (python3-skimage would pull in numpy and scipy for a few pictures). Skips the download when all are there already.
fetch_deb_files() {
  local pkg="$1" dest="$2"
  shift 2
  local f missing=0
  for f in "$@"; do [ -f "$dest/$(basename "$f")" ] || missing=1; done
  [ "$missing" -eq 0 ] && return 0
  local tmp attempt
  tmp="$(mktemp -d)"
  for attempt in 1 2 3; do
    # apt-get download writes into the current folder; as root it warns that _apt cannot write there, harmlessly.
    if (cd "$tmp" && apt-get download -q "$pkg" >/dev/null 2>&1); then break; fi
    [ "$attempt" -eq 1 ] && { if [ "$(id -u)" -ne 0 ]; then sudo apt-get update -q >/dev/null || true; else apt-get update -q >/dev/null || true; fi; }
    [ "$attempt" -eq 3 ] && { echo "could not download $pkg: its files will be replaced by generated ones" >&2; rm -rf "$tmp"; return 0; }
    sleep $((attempt * 5))
  done
  dpkg-deb -x "$tmp"/"$pkg"_*.deb "$tmp/root"
  mkdir -p "$dest"
  for f in "$@"; do
    if [ -f "$tmp/root/$f" ]; then cp "$tmp/root/$f" "$dest/"; else echo "$pkg has no $f" >&2; fi
  done
  rm -rf "$tmp"
}

corpus="benchmarks/TranscodeFarm.FingerprintEval/bin/corpus"
extra=()
for ((i = 1; i <= $#; i++)); do
  if [ "${!i}" = "--corpus" ]; then j=$((i + 1)); corpus="${!j}"; fi
done
[[ " $* " == *" --corpus "* ]] || extra+=(--corpus "$corpus")
assets="$corpus/debian"
[[ " $* " == *" --assets "* ]] || extra+=(--assets "$assets")

ensure_ffmpeg
ensure_apt_packages espeak-ng fonts-dejavu-core || echo "espeak-ng/fonts not installed: speech becomes synth melodies, no caption" >&2
skimage=usr/lib/python3/dist-packages/skimage/data
fetch_deb_files python3-skimage "$assets/photos" \
  "$skimage/astronaut.png" "$skimage/chelsea.png" "$skimage/coffee.png" "$skimage/rocket.jpg" \
  "$skimage/hubble_deep_field.jpg" "$skimage/camera.png" "$skimage/coins.png" "$skimage/retina.jpg" \
  "$skimage/moon.png" "$skimage/ihc.png" "$skimage/clock_motion.png" "$skimage/gravel.png" "$skimage/motorcycle_left.png"
fetch_deb_files abe-data "$assets/music" usr/share/games/abe/sounds/intro.ogg usr/share/games/abe/sounds/game.ogg

dotnet build benchmarks/TranscodeFarm.FingerprintEval -c Release -nologo -clp:ErrorsOnly -v:q
exec dotnet benchmarks/TranscodeFarm.FingerprintEval/bin/Release/net10.0/TranscodeFarm.FingerprintEval.dll "${extra[@]}" "$@"
