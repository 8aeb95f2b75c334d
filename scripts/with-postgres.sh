#!/usr/bin/env bash
# scripts/with-postgres.sh CMD [ARGS...]
#
# Runs CMD against a throwaway PostgreSQL server and exits with CMD's status.
#
#   * initdb's a fresh cluster in a temporary directory (user `retort`, a
#     random alphanumeric password, scram-sha-256 over TCP, trust over the
#     Unix socket), starts it on a free port of 127.0.0.1 with durability
#     switched off, creates the database `retort_test`, and exports
#       RETORT_TEST_POSTGRES_URL=postgresql://retort:PASSWORD@127.0.0.1:PORT/retort_test
#   * stops the server and removes the directory when CMD ends, fails, or
#     the script is interrupted (EXIT/INT/TERM traps).
#   * As root, the cluster belongs to the `postgres` user and every server
#     command runs through `runuser -u postgres --` (PostgreSQL refuses to
#     run as root); CMD itself runs as the caller.
#   * If RETORT_TEST_POSTGRES_URL is already set, no server is started: CMD
#     just runs against that URL (reuse a server you already have).
#
# Environment knobs: RETORT_PG_BINDIR (directory of initdb/pg_ctl; default:
# newest /usr/lib/postgresql/*/bin), RETORT_PG_TMPDIR (parent of the
# temporary directory; default /tmp).
set -euo pipefail

log() { echo "with-postgres: $*" >&2; }

if (($# == 0)); then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi

if [[ -n "${RETORT_TEST_POSTGRES_URL:-}" ]]; then
    log "RETORT_TEST_POSTGRES_URL is already set; using that server"
    exec "$@"
fi

# --- locate the server binaries ---------------------------------------------
bindir="${RETORT_PG_BINDIR:-}"
if [[ -z "$bindir" ]]; then
    bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
fi
if [[ -z "$bindir" ]] && command -v pg_ctl >/dev/null 2>&1; then
    bindir=$(dirname "$(command -v pg_ctl)")
fi
if [[ -z "$bindir" || ! -x "$bindir/initdb" || ! -x "$bindir/pg_ctl" ]]; then
    log "PostgreSQL server binaries not found (install the 'postgresql' package," \
        "or set RETORT_PG_BINDIR)"
    exit 1
fi

# --- run server commands as a non-root user ---------------------------------
as_pg=()
if [[ "$(id -u)" -eq 0 ]]; then
    if ! id postgres >/dev/null 2>&1; then
        log "running as root, but there is no 'postgres' user to run the server as"
        exit 1
    fi
    as_pg=(runuser -u postgres --)
fi
pg() { "${as_pg[@]}" "$@"; }

# --- scratch directory and cleanup ------------------------------------------
tmp=$(mktemp -d "${RETORT_PG_TMPDIR:-/tmp}/retort-pg.XXXXXX")
data="$tmp/data"
started=0

cleanup() {
    local pidfile="$data/postmaster.pid" pid i
    if [[ "$started" -eq 1 && -f "$pidfile" ]]; then
        pid=$(head -n 1 "$pidfile" 2>/dev/null || true)
        pg "$bindir/pg_ctl" -D "$data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
        # Wait for the postmaster to be gone before removing its files.
        for ((i = 0; i < 100; i++)); do
            [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    started=0
    if [[ -n "$tmp" && -d "$tmp" ]]; then
        rm -rf -- "$tmp"
    fi
    tmp=""
}
trap cleanup EXIT
trap 'cleanup; trap - INT; kill -INT $$' INT
trap 'cleanup; exit 143' TERM

if ((${#as_pg[@]} > 0)); then
    chown postgres: "$tmp"
fi
chmod 700 "$tmp"

# --- initdb -----------------------------------------------------------------
# Alphanumeric only: no URL-encoding needed.
password=$(LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom 2>/dev/null | head -c 32 || true)
if ((${#password} < 32)); then
    log "could not generate a password"
    exit 1
fi
printf '%s\n' "$password" >"$tmp/pwfile"
if ((${#as_pg[@]} > 0)); then
    chown postgres: "$tmp/pwfile"
fi
chmod 600 "$tmp/pwfile"

if ! pg "$bindir/initdb" -D "$data" --auth-local=trust --auth-host=scram-sha-256 \
    --username=retort --pwfile="$tmp/pwfile" --encoding=UTF8 --locale=C --no-sync \
    >"$tmp/initdb.log" 2>&1; then
    log "initdb failed:"
    cat "$tmp/initdb.log" >&2
    exit 1
fi
rm -f "$tmp/pwfile"

# --- pick a free port and start ---------------------------------------------
port_in_use() {
    local port=$1
    if command -v python3 >/dev/null 2>&1; then
        python3 - "$port" <<'PY' 2>/dev/null && return 1 || return 0
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.close()
PY
    fi
    # Fallback: something accepts connections there.
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

port=""
for ((attempt = 1; attempt <= 10; attempt++)); do
    candidate=$((20000 + ((RANDOM << 15) | RANDOM) % 40001))
    if port_in_use "$candidate"; then
        continue
    fi
    started=1
    if pg "$bindir/pg_ctl" -D "$data" -l "$tmp/log" -w -t 60 -o \
        "-p $candidate -k $tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null 2>&1; then
        port=$candidate
        break
    fi
    started=0
    if grep -q -i "could not bind\|address already in use" "$tmp/log" 2>/dev/null; then
        log "port $candidate was taken, trying another one"
        continue
    fi
    log "PostgreSQL failed to start; server log:"
    tail -n 50 "$tmp/log" >&2 2>/dev/null || true
    exit 1
done
if [[ -z "$port" ]]; then
    log "could not find a free port for PostgreSQL; server log:"
    tail -n 50 "$tmp/log" >&2 2>/dev/null || true
    exit 1
fi

if ! pg "$bindir/createdb" -h "$tmp" -p "$port" -U retort retort_test >"$tmp/createdb.log" 2>&1; then
    log "createdb failed:"
    cat "$tmp/createdb.log" >&2
    exit 1
fi

version=$("$bindir/postgres" --version 2>/dev/null | sed -n 's/.*(PostgreSQL) \([0-9.]*\).*/\1/p' || true)
log "PostgreSQL ${version} started on 127.0.0.1:${port} (user ${as_pg[2]:-$(id -un)}, dir ${tmp})"

export RETORT_TEST_POSTGRES_URL="postgresql://retort:${password}@127.0.0.1:${port}/retort_test"

# --- run the command --------------------------------------------------------
set +e
"$@"
status=$?
set -e
cleanup
exit "$status"
