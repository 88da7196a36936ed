#!/usr/bin/env bash
# docker-compose's PostgreSQL, on its first start (/docker-entrypoint-initdb.d): a role and a database of its own for
# each service (database per service, docs/design/database-per-service.md). A role owns its database, so the service
# migrates it and creates its outbox publication; the services that relay an outbox (all but audit-collector and console) may
# open a logical replication connection (REPLICATION). No role is a superuser.
#
# Input, from the environment only: GITCRQ_DATABASES ("<role>:<database>" pairs, separated by spaces, <role> named
# after the service) and GITCRQ_DB_PASSWORD_<ROLE> for each (upper case, '-' as '_'); GITCRQ_DB_REPLICATION_ROLES.
# Names are checked against a strict pattern; passwords reach SQL only as psql variables quoted by psql (:'password'),
# never spliced into a statement's text.
set -euo pipefail

fail() { echo "init-databases: $*" >&2; exit 1; }

read -r -a pairs <<<"${GITCRQ_DATABASES:?GITCRQ_DATABASES names role:database pairs}"
read -r -a replication <<<"${GITCRQ_DB_REPLICATION_ROLES:-}"
for pair in "${pairs[@]}"; do
  [[ $pair =~ ^([a-z][a-z0-9-]{0,62}):([a-z][a-z0-9_]{0,62})$ ]] || fail "not role:database: $pair"
  role=${BASH_REMATCH[1]}
  database=${BASH_REMATCH[2]}
  var="GITCRQ_DB_PASSWORD_${role^^}"
  var=${var//-/_}
  password=${!var:-}
  [[ ${#password} -ge 16 && $password != replace-* ]] || fail "$var is missing, shorter than 16 characters or a placeholder"
  attributes=NOREPLICATION
  for r in "${replication[@]}"; do [[ $r == "$role" ]] && attributes=REPLICATION; done
  psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname postgres \
    -v role="$role" -v database="$database" -v password="$password" <<SQL >/dev/null
CREATE ROLE :"role" LOGIN $attributes PASSWORD :'password';
CREATE DATABASE :"database" OWNER :"role";
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
SQL
  echo "init-databases: role $role ($attributes) owns database $database"
done
