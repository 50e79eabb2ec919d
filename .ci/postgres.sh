# Sourced by .ci/run: a private PostgreSQL server on 127.0.0.1 and a free port for router-proxy's
# database tests (never the system's service on 5432). start_postgres installs PostgreSQL when no
# server binaries are found, initdb's a cluster in a temporary directory with a generated password,
# starts it, creates the database and exports LLMROUTER_PG_URL, LLMROUTER_PG_USER and
# LLMROUTER_PG_PASSWORD; stop_postgres stops exactly that server and removes its directory. As
# root, the server runs as an unprivileged user (postgres refuses to run as root).

pg_dir=""
pg_bin=""
pg_run=()

find_pg_bin() {
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"
    return
  fi
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$d" ] && [ -x "$d/pg_ctl" ] && echo "$d"
}

start_postgres() {
  pg_bin="$(find_pg_bin || true)"
  if [ -z "$pg_bin" ]; then
    echo "installing: postgresql"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql
    # The package starts the system's cluster on 5432; ours does not use it.
    pg_bin="$(find_pg_bin)"
  fi
  pg_run=()
  if [ "$(id -u)" -eq 0 ]; then
    local pg_user=postgres
    if ! id "$pg_user" >/dev/null 2>&1; then
      pg_user=llmrouter-pg
      id "$pg_user" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$pg_user"
    fi
    pg_run=(runuser -u "$pg_user" --)
  fi
  pg_dir="$(mktemp -d)"
  chmod 755 "$pg_dir"
  local password port
  password="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  port="$(free_port)"
  printf '%s\n' "$password" > "$pg_dir/pwfile"
  mkdir -p "$pg_dir/data" "$pg_dir/run"
  if [ "$(id -u)" -eq 0 ]; then chown -R "${pg_run[2]}" "$pg_dir"; fi
  "${pg_run[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U llmrouter --pwfile="$pg_dir/pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$pg_dir/initdb.log" 2>&1 \
    || { cat "$pg_dir/initdb.log" >&2; echo "initdb failed" >&2; return 1; }
  rm -f "$pg_dir/pwfile"
  "${pg_run[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
    -o "-k $pg_dir/run -p $port -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null \
    || { cat "$pg_dir/server.log" >&2; echo "postgres did not start" >&2; return 1; }
  "${pg_run[@]}" "$pg_bin/psql" -h "$pg_dir/run" -p "$port" -U llmrouter -d postgres -v ON_ERROR_STOP=1 -q \
    -c "CREATE DATABASE llmrouter_test" >/dev/null
  export LLMROUTER_PG_URL="jdbc:postgresql://127.0.0.1:$port/llmrouter_test"
  export LLMROUTER_PG_USER=llmrouter
  export LLMROUTER_PG_PASSWORD="$password"
  echo "postgres $("$pg_bin/postgres" --version | sed -n 's/.*(PostgreSQL) \([^ ]*\).*/\1/p') on 127.0.0.1:$port (data in $pg_dir/data)"
}

stop_postgres() {
  if [ -n "$pg_dir" ] && [ -f "$pg_dir/data/postmaster.pid" ]; then
    "${pg_run[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
  fi
  if [ -n "$pg_dir" ]; then rm -rf "$pg_dir"; fi
  pg_dir=""
}
