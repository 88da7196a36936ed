#!/usr/bin/env bash
# The base image of gitcrq's service images, made here from Debian's packages because no registry is reachable:
# Debian bookworm (debootstrap, minbase) with openjdk-17-jre-headless and curl (for health checks), a non-root user
# gitcrq (uid/gid 10001), no package caches. Written as a docker-archive tarball that Jib reads as a base
# (quarkus.jib.base-jvm-image=tar://…) and podman can load.
#   deploy/images/build-base.sh [output.tar]     default: .gitcrq-run/images/base-jre17.tar
# Needs root, debootstrap and podman (installed here when missing, as root on Debian).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=${1:-$ROOT/.gitcrq-run/images/base-jre17.tar}
IMAGE=localhost/gitcrq/base-jre17:bookworm
MIRROR=${GITCRQ_DEBIAN_MIRROR:-http://deb.debian.org/debian}

if [[ $(id -u) -ne 0 ]]; then
  echo "building the base image needs root (debootstrap)" >&2
  exit 1
fi
need=()
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v podman >/dev/null || need+=(podman)
if ((${#need[@]})); then
  echo "installing ${need[*]} …" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
"$ROOT/deploy/images/podman-setup.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
echo "debootstrap bookworm with openjdk-17-jre-headless into $rootfs …" >&2
debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates,curl \
  bookworm "$rootfs" "$MIRROR" >"$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
chroot "$rootfs" groupadd --gid 10001 gitcrq
chroot "$rootfs" useradd --uid 10001 --gid 10001 --home-dir /deployments --create-home --shell /usr/sbin/nologin gitcrq
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* \
  "$rootfs"/usr/share/man/* "$rootfs"/tmp/*

tar -C "$rootfs" --numeric-owner -cf "$work/rootfs.tar" .
podman import \
  --change 'USER 10001' \
  --change 'WORKDIR /deployments' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' \
  "$work/rootfs.tar" "$IMAGE" >/dev/null
mkdir -p "$(dirname "$OUT")"
rm -f "$OUT"
podman save --format docker-archive -o "$OUT" "$IMAGE"
echo "base image $IMAGE written to $OUT"
