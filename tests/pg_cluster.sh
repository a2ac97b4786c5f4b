#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, on loopback only, run by an unprivileged user.
#
#   tests/pg_cluster.sh start DIR    make and start a cluster in DIR; prints its URL
#   tests/pg_cluster.sh stop DIR     stop it and remove DIR
#
# As root the server runs as 'nobody' (PostgreSQL refuses to run as root). The cluster
# trusts local connections of its one superuser 'kvds' and listens on 127.0.0.1 only;
# fsync is off, as the data is thrown away.
set -euo pipefail

bindir() {
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$found" ] && [ -x "$found/initdb" ] && { echo "$found"; return 0; }
    command -v initdb >/dev/null && { dirname "$(command -v initdb)"; return 0; }
    return 1
}

as_owner() {
    if [ "$(id -u)" = "0" ]; then runuser -u nobody -- "$@"; else "$@"; fi
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

command=${1:-}; dir=${2:-}
[ -n "$dir" ] || { sed -n '4,5p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
case "$command" in
    start)
        bin=$(bindir) || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
        port=$(free_port)
        mkdir -p "$dir"
        [ "$(id -u)" = "0" ] && chown nobody "$dir"
        as_owner "$bin/initdb" -D "$dir/data" -U kvds --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
            || { cat "$dir/initdb.log" >&2; exit 1; }
        as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o \
            "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
            >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
        echo "postgresql+psycopg://kvds@127.0.0.1:$port/postgres"
        ;;
    stop)
        bin=$(bindir) || exit 0
        if [ -d "$dir/data" ]; then as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true; fi
        rm -rf "$dir"
        ;;
    *)
        sed -n '4,5p' "$0" | sed 's/^# \{0,1\}//'; exit 2
        ;;
esac
