#!/usr/bin/env bash
# Shared helpers for the project's scripts. Source it; do not run it.

# Installs Debian/Ubuntu packages that are missing, with one `apt-get update` and retries for transient failures.
ensure_apt_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing: ${missing[*]}"
  local attempt
  for attempt in 1 2 3; do
    # One `apt-get update` per script run, however many calls install something.
    if { [ -n "${TRANSCODEFARM_APT_UPDATED:-}" ] || $sudo apt-get update -q >/dev/null; } && TRANSCODEFARM_APT_UPDATED=1 && \
       DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; then
      return 0
    fi
    echo "apt-get failed (attempt $attempt), retrying in $((attempt * 5)) s" >&2
    sleep $((attempt * 5))
  done
  echo "could not install ${missing[*]}" >&2
  return 1
}

ensure_ffmpeg() {
  if ! command -v ffmpeg >/dev/null 2>&1 || ! command -v ffprobe >/dev/null 2>&1; then
    ensure_apt_packages ffmpeg
  fi
}
