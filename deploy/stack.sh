#!/usr/bin/env bash
# The production shape on this machine's loopback: `make stack` (start) and
# `make stack-stop` (stop). nginx on 127.0.0.1:8080 in front of two gunicorns
# (127.0.0.1:8001, :8002), one PostgreSQL database, one Redis and the report worker,
# with production settings (DEBUG off) relaxed only for plain HTTP. Everything it
# writes (pid files, logs, the secret key, static and media files, nginx's cache) is
# under var/stack/, which git ignores. docs/operations.md says how to run and use it.
#
# Starting again restarts every process, so that the stack always runs the current code.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
STACK=$ROOT/var/stack
BIN=$ROOT/.venv/bin
NGINX=${NGINX:-/usr/sbin/nginx}
LISTEN=${STACK_LISTEN:-127.0.0.1:8080}
WEB_ADDRESSES=(127.0.0.1:8001 127.0.0.1:8002)
URL="http://$LISTEN"

log() { printf 'stack: %s\n' "$*"; }

running() {  # NAME: is the process in var/stack/NAME.pid alive?
    local pidfile=$STACK/$1.pid
    [[ -s $pidfile ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

stop_process() {  # NAME SIGNAL: ask it to stop, then wait for it (15 s, then KILL)
    local name=$1 signal=$2 pid
    if ! running "$name"; then
        rm -f "$STACK/$name.pid"
        return
    fi
    pid=$(cat "$STACK/$name.pid")
    kill "-$signal" "$pid"
    for _ in $(seq 150); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "$name ($pid) did not stop in 15 s: killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$STACK/$name.pid"
    log "stopped $name ($pid)"
}

stop() {
    # nginx first, so that nothing reaches a gunicorn that is stopping. QUIT lets nginx
    # and TERM lets gunicorn finish the requests in hand.
    stop_process nginx QUIT
    stop_process web-1 TERM
    stop_process web-2 TERM
    stop_process worker TERM
}

write_environment() {
    # One secret key for the stack, made once and kept (sessions survive a restart);
    # never in the repository.
    if [[ ! -s $STACK/secret_key ]]; then
        (umask 077 && "$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))' \
            >"$STACK/secret_key")
    fi
    local release
    release=$(git describe --always --dirty 2>/dev/null || echo unknown)
    # Sourced by this script and by an operator who runs manage.py against the stack
    # (set -a; . var/stack/env; set +a): every process sees the same settings.
    (umask 077 && cat >"$STACK/env" <<ENV
DEBUG=0
SECRET_KEY='$(cat "$STACK/secret_key")'
DATABASE_URL='${STACK_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/portal_stack}'
REDIS_URL='${STACK_REDIS_URL:-redis://127.0.0.1:6379/2}'
REDIS_KEY_PREFIX=portal-stack
RELEASE='$release'
ALLOWED_HOSTS=127.0.0.1,localhost
CSRF_TRUSTED_ORIGINS=$URL,http://localhost:${LISTEN##*:}
PORTAL_BASE_URL=$URL
STATIC_ROOT='$STACK/static'
MEDIA_ROOT='$STACK/media'
CACHE_LOCATION='$STACK/cache'
REPORTS_ACCEL_REDIRECT=/_protected_reports/
AXES_IPWARE_PROXY_COUNT=1
SECURE_SSL_REDIRECT=0
SESSION_COOKIE_SECURE=0
CSRF_COOKIE_SECURE=0
SECURE_HSTS_SECONDS=0
ENV
    )
}

render_nginx() {
    export PORTAL_STACK_DIR=$STACK PORTAL_LISTEN=$LISTEN \
        PORTAL_UPSTREAM_1=${WEB_ADDRESSES[0]} PORTAL_UPSTREAM_2=${WEB_ADDRESSES[1]} \
        PORTAL_STATIC_ROOT=$STACK/static PORTAL_MEDIA_ROOT=$STACK/media \
        PORTAL_PROXY_CACHE=$STACK/proxy-cache PORTAL_ACCESS_LOG=$STACK/nginx-access.log
    "$BIN/python" deploy/render_nginx.py deploy/nginx/portal.conf.template "$STACK/portal.conf"
    "$BIN/python" deploy/render_nginx.py deploy/nginx/stack.conf.template "$STACK/nginx.conf"
}

start() {
    mkdir -p "$STACK/media" "$STACK/nginx-tmp"
    # nginx's workers (www-data when started as root) read the static files and reports
    # and write their cache under var/stack/: they must be able to pass through var/,
    # which Django's file cache may have made private (0700). The secrets in var/stack/
    # are files of their own, readable by their owner only.
    chmod a+x "$ROOT/var" "$STACK"
    write_environment
    set -a
    # shellcheck disable=SC1091
    . "$STACK/env"
    set +a
    log "release $RELEASE, database ${DATABASE_URL%%\?*}, redis $REDIS_URL"

    case $DATABASE_URL in
        postgres://* | postgresql://*) "$BIN/python" deploy/create_database.py "$DATABASE_URL" ;;
    esac
    # collectstatic compresses every file again (most of a restart's time): only when the
    # front end's build or the installed packages (their static files) are newer.
    local manifest=$STACK/static/staticfiles.json
    if [[ ! -s $manifest || -n $(find static .venv/.installed -newer "$manifest" -print -quit) ]]; then
        "$BIN/python" manage.py collectstatic --noinput -v 0
    else
        log "static files unchanged since the last collectstatic"
    fi
    "$BIN/python" manage.py migrate --noinput -v 0
    "$BIN/python" manage.py load_portal_data

    stop
    render_nginx
    "$NGINX" -t -q -p "$STACK" -c "$STACK/nginx.conf" -e "$STACK/nginx-error.log"

    local i=1 address
    for address in "${WEB_ADDRESSES[@]}"; do
        # gthread workers keep nginx's upstream connections alive between requests.
        "$BIN/gunicorn" portal.wsgi:application --bind "$address" \
            --workers 2 --worker-class gthread --threads 4 \
            --daemon --pid "$STACK/web-$i.pid" --capture-output \
            --error-logfile "$STACK/web-$i.log" --name "portal-stack-web-$i"
        i=$((i + 1))
    done
    # Its own session, so that an interrupt in the terminal that ran make does not stop it.
    setsid "$BIN/python" manage.py db_worker >>"$STACK/worker.log" 2>&1 </dev/null &
    echo $! >"$STACK/worker.pid"
    "$NGINX" -p "$STACK" -c "$STACK/nginx.conf" -e "$STACK/nginx-error.log"

    for _ in $(seq 120); do
        if curl -fsS -o /dev/null "$URL/readyz" 2>/dev/null; then
            for name in web-1 web-2 worker nginx; do
                running "$name" || { log "$name is not running: see var/stack/$name*.log"; exit 1; }
            done
            log "ready: $URL ($(curl -sS "$URL/readyz" | tr -d ' \n'))"
            log "logs and pid files in var/stack/; make stack-stop stops it"
            return
        fi
        sleep 0.5
    done
    log "no 200 from $URL/readyz after 60 s; the logs are in var/stack/"
    tail -n 20 "$STACK"/web-1.log "$STACK"/nginx-error.log >&2 || true
    exit 1
}

case ${1:-} in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
