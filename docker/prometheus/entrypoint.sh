#!/bin/bash
# Writes prometheus.yml from the environment (two jobs, `workers` and `edges`, as the dashboards group by job), checks it
# and the rules with promtool, then runs Prometheus in the foreground.
set -euo pipefail
targets() { # "a:1, b:2" -> 'a:1', 'b:2'
  local list=${1//,/ } out="" t
  for t in $list; do out+="${out:+, }'$t'"; done
  echo "$out"
}
config=/prometheus/prometheus.yml
cat > "$config" <<YAML
global:
  scrape_interval: $PROMETHEUS_SCRAPE_INTERVAL
  evaluation_interval: $PROMETHEUS_SCRAPE_INTERVAL
rule_files:
  - /etc/transcodefarm/rules.yml
scrape_configs:
  - job_name: workers
    static_configs:
      - targets: [$(targets "$PROMETHEUS_WORKERS")]
  - job_name: edges
    static_configs:
      - targets: [$(targets "$PROMETHEUS_EDGES")]
YAML
promtool check config "$config" >&2
exec prometheus --config.file="$config" --storage.tsdb.path=/prometheus/data \
  --web.listen-address="$PROMETHEUS_LISTEN:$PROMETHEUS_PORT" --web.enable-lifecycle
