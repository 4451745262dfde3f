#!/bin/sh
# nginx for docker-compose.scale.yml. `run.sh` writes replicas.conf and runs nginx in the
# foreground; `run.sh reload`, after `--scale app=N`, writes it again and reloads nginx.
# replicas.conf has one `server` line per address Docker's DNS gives the replicas (sorted,
# so every run writes the same file for the same replicas); wengert.conf says why.
set -eu
here="$(dirname "$0")"

write_replicas() {
    getent ahostsv4 app | awk '{ print $1 }' | sort -u -t . -k1,1n -k2,2n -k3,3n -k4,4n |
        awk '{ printf "server %s:8000 max_fails=1 fail_timeout=5s;\n", $1 }' \
            >/etc/nginx/replicas.conf.new
    [ -s /etc/nginx/replicas.conf.new ] || { echo "run.sh: app does not resolve" >&2; exit 1; }
    mv /etc/nginx/replicas.conf.new /etc/nginx/replicas.conf
}

write_replicas
if [ "${1:-}" = reload ]; then
    exec nginx -s reload
fi
# The site replaces the image's default one; it is read from the mounted folder, so an
# edited wengert.conf reaches nginx on the next reload.
echo "include $here/wengert.conf;" >/etc/nginx/conf.d/default.conf
exec nginx -g 'daemon off;'
