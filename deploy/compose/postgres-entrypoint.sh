#!/bin/sh
# The official postgres image's first-start contract, for postgres.Containerfile: an empty $PGDATA is initialised
# with superuser $POSTGRES_USER (default postgres), password $POSTGRES_PASSWORD (required: connections from other
# containers need it) and database $POSTGRES_DB (default the user's name); then the server runs in the foreground.
set -eu
: "${POSTGRES_PASSWORD:?is not set: give the superuser a password (connections from other containers use it)}"
user=${POSTGRES_USER:-postgres}
database=${POSTGRES_DB:-$user}

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  password_file=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" > "$password_file"
  initdb --pgdata="$PGDATA" --username="$user" --pwfile="$password_file" --encoding=UTF8 --no-locale \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$password_file"
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  if [ "$database" != postgres ]; then
    # Socket only while the database is created: nobody connects to a half-initialised server.
    pg_ctl --pgdata="$PGDATA" --options="-c listen_addresses=''" --wait start >/dev/null
    createdb --host=/run/postgresql --username="$user" -- "$database"
    pg_ctl --pgdata="$PGDATA" --mode=fast --wait stop >/dev/null
  fi
  echo "postgres-entrypoint: initialised $PGDATA (superuser $user, database $database)"
fi

exec postgres -D "$PGDATA" -c listen_addresses='*'
