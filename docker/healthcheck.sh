#!/bin/bash
# The image's HEALTHCHECK: GET /healthz from the one host this container runs. `run` and `edge` serve it on Edge:Url
# (`--url`), `worker` on Worker:MetricsUrl (`--metrics-url`); the role and flags are read from PID 1's command line, the
# settings from the environment (a `--config` file's URLs are not read: set them as flags or variables). A one-shot
# command (`db migrate`, `store init`) has nothing to check.
set -euo pipefail
mapfile -d '' args < /proc/1/cmdline
role="" url_flag="" metrics_flag=""
for ((i = 1; i < ${#args[@]}; i++)); do
  case ${args[i]} in
    run | worker | edge) [ -n "$role" ] || role=${args[i]} ;;
    --url) url_flag=${args[i + 1]:-} ;;
    --url=*) url_flag=${args[i]#--url=} ;;
    --metrics-url) metrics_flag=${args[i + 1]:-} ;;
    --metrics-url=*) metrics_flag=${args[i]#--metrics-url=} ;;
  esac
done
case $role in
  worker) url=${metrics_flag:-${TRANSCODEFARM__Worker__MetricsUrl:-http://127.0.0.1:9101}} ;;
  run | edge) url=${url_flag:-${TRANSCODEFARM__Edge__Url:-http://127.0.0.1:8080}} ;;
  *) exit 0 ;;
esac
url=${url%%;*}                                            # the first of several listen URLs
url=$(sed -E 's#^(https?://)(0\.0\.0\.0|\*|\+|\[::\])#\1127.0.0.1#' <<< "${url%/}")
exec curl -fsS --max-time 4 -o /dev/null -k "$url/healthz"
