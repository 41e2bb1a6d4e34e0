#!/bin/sh
# One role and one database per service (database per service), and the province's keyring
# database that every service keeps its data keys in (CHIBO_KEYRING_DATABASE_URL), run once
# by the postgres image on an empty data directory. The role names match what `./chibo up`
# creates: chibo_<service>, chibo_keyring. Passwords come from the environment (.env), never
# from this file. On a data directory made before the keyring database, run this loop's
# statements for `keyring` by hand (docs/operations.md, the keyring database).
set -eu
for service in assignment attendance rating keyring; do
  variable="CHIBO_$(echo "$service" | tr '[:lower:]' '[:upper:]')_DB_PASSWORD"
  password=$(printenv "$variable" || true)
  if [ -z "$password" ]; then
    echo "chibo init: $variable is not set (đặt $variable trong .env)" >&2
    exit 1
  fi
  # psql variables quote the identifier and the literal: no SQL built by string pasting.
  psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}" --dbname postgres \
    -v role="chibo_$service" -v password="$password" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"role" OWNER :"role";
REVOKE CONNECT ON DATABASE :"role" FROM PUBLIC;
SQL
done
