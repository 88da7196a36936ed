#!/usr/bin/env bash
# Podman as our machines run it: rootful without systemd, inside a sandbox that may not raise its own rlimits
# (no cap_sys_resource), so containers get lower limits than podman's defaults; cgroups managed by cgroupfs and
# events to a file, since there is no systemd. Writes /etc/containers/containers.conf.d/gitcrq.conf once.
set -euo pipefail
# Podman's defaults (nofile 1048576) exceed what the sandbox allows: take this shell's own hard limits, capped.
conf=/etc/containers/containers.conf.d/gitcrq.conf
nofile=$(ulimit -Hn); [[ $nofile == unlimited || $nofile -gt 65536 ]] && nofile=65536
nproc=$(ulimit -Hu); [[ $nproc == unlimited || $nproc -gt 4096 ]] && nproc=4096
if [[ $(id -u) -eq 0 ]] && ! grep -qs "nofile=$nofile:$nofile\", \"nproc=$nproc:$nproc" "$conf"; then
  mkdir -p "$(dirname "$conf")"
  cat >"$conf" <<CONF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
fi
