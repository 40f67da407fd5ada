#!/bin/sh
# Container entrypoint: the application gets its database connection from
# iamdb exec, which stays as its parent, keeps the token in a private
# PGPASSFILE fresh for as long as it runs, forwards signals (docker stop)
# and exits with its status. Credentials come from the ECS task role or
# EKS Pod Identity through the container credentials endpoint.
#
#   ENV DATABASE_URL=postgres://app_user@app-db.cluster-c9akciq32.eu-west-1.rds.amazonaws.com:5432/app
#   ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
#   CMD ["python3", "-m", "app"]
set -eu
: "${DATABASE_URL:?set DATABASE_URL to postgres://user@host:port/db}"
exec iamdb exec "$DATABASE_URL" -- "$@"
