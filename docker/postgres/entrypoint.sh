#!/bin/bash
# First start: initdb (password logins over TCP, scram-sha-256), then the farm's role and database in single-user mode.
# Then the server in the foreground. POSTGRES_OPTIONS adds server settings (`-c fsync=off` for throwaway stacks).
set -euo pipefail
: "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}"
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  "$bin/initdb" -D "$PGDATA" -U postgres --auth-local=peer --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  quoted=${POSTGRES_PASSWORD//\'/\'\'}
  "$bin/postgres" --single -D "$PGDATA" postgres >/dev/null <<SQL
CREATE ROLE "$POSTGRES_USER" LOGIN PASSWORD '$quoted';
CREATE DATABASE "$POSTGRES_DB" OWNER "$POSTGRES_USER";
SQL
  echo "created database $POSTGRES_DB owned by $POSTGRES_USER"
fi
# shellcheck disable=SC2086 # POSTGRES_OPTIONS is a list of server arguments
exec "$bin/postgres" -D "$PGDATA" -c listen_addresses="$POSTGRES_LISTEN" -p "$POSTGRES_PORT" \
  -c unix_socket_directories=/tmp -c max_connections=300 ${POSTGRES_OPTIONS:-}
