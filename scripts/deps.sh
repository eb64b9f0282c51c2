#!/usr/bin/env bash
# Installs the Debian packages Leadmap needs to build, run and test — only the
# missing ones, so a second `make run` costs a few dpkg look-ups (< 1 s).
# Debian's mariadb-server and nginx packages try to start their system
# services on install; Leadmap never uses them (stack.sh runs private ones
# under VAR), so whether that works or not does not matter.
set -euo pipefail

PKGS=(build-essential pkg-config libfcgi-dev libmariadb-dev mariadb-server
      mariadb-client libjansson-dev libjwt-dev libsodium-dev
      libcurl4-openssl-dev libcmocka-dev libical-dev nginx wrk chromium curl)

missing=()
for p in "${PKGS[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done

[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=()
[ "$(id -u)" -ne 0 ] && SUDO=(sudo)

echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -q
# Keep Debian from starting system MariaDB/nginx services during the install
# (policy-rc.d exit 101 = "not allowed"); we remove our file afterwards.
POLICY=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$POLICY" ]; then
    printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$POLICY" >/dev/null
    "${SUDO[@]}" chmod 755 "$POLICY"
    own_policy=1
fi
cleanup() { [ "$own_policy" = 1 ] && "${SUDO[@]}" rm -f "$POLICY"; return 0; }
trap cleanup EXIT
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"

still=()
for p in "${missing[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || still+=("$p")
done
if [ ${#still[@]} -ne 0 ]; then
    echo "deps: could not install: ${still[*]}" >&2
    exit 1
fi
