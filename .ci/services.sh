# Sourced by .ci/run: install (if missing) and start PostgreSQL and Redis on loopback, and
# export DATABASE_URL and REDIS_URL. Everything lives under a throwaway folder in /tmp.
# No fonts: PDFs use the ones the project ships (alliance/pdf/fonts/), as on a fresh machine.
packages=(postgresql redis-server chromium gettext)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} from Debian's packages..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

ci_dir=$(mktemp -d /tmp/alliance-ci.XXXXXX)
chmod 755 "$ci_dir"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
pg_port=55432
redis_port=56379
# initdb refuses to run as root: the cluster belongs to the postgres system user.
mkdir -p "$ci_dir/pg" "$ci_dir/sock" "$ci_dir/log"
chown postgres "$ci_dir/pg" "$ci_dir/sock" "$ci_dir/log"
su postgres -s /bin/sh -c "$pg_bin/initdb -D $ci_dir/pg -U alliance --auth=trust -E UTF8 >/dev/null"
su postgres -s /bin/sh -c "$pg_bin/pg_ctl -D $ci_dir/pg -l $ci_dir/log/postgres.log -w start \
  -o '-h 127.0.0.1 -p $pg_port -k $ci_dir/sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off'" >/dev/null
"$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U alliance alliance

redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no \
  --daemonize yes --logfile "$ci_dir/redis.log" --pidfile "$ci_dir/redis.pid"

stop_services() {
  su postgres -s /bin/sh -c "$pg_bin/pg_ctl -D $ci_dir/pg -m fast stop" >/dev/null 2>&1 || true
  redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
}
trap stop_services EXIT

export DATABASE_URL="postgres://alliance@127.0.0.1:$pg_port/alliance"
export REDIS_URL="redis://127.0.0.1:$redis_port/0"
echo "CI services: PostgreSQL on 127.0.0.1:$pg_port, Redis on 127.0.0.1:$redis_port"
