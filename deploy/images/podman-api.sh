# shellcheck shell=bash
# Sourced by the scripts that reach podman through its Docker API (compose-smoke.sh for docker-compose,
# container-tests.sh for Testcontainers): podman's API served on a socket of the script's own for as long as it runs
# (podman without systemd has no socket unit to activate it).
podman_api_pid=

# podman_api_start SOCKET LOG: serves the API at SOCKET (a path), podman's messages in LOG; fails if it does not come up.
podman_api_start() {
  podman system service --time=0 "unix://$1" >"$2" 2>&1 &
  podman_api_pid=$!
  for _ in $(seq 50); do [[ -S $1 ]] && break; sleep 0.2; done
  [[ -S $1 ]] || { echo "podman system service did not start: $(cat "$2")" >&2; return 1; }
}

# podman_api_stop: stops what podman_api_start started (nothing if it did not).
podman_api_stop() {
  if [[ -n $podman_api_pid ]]; then kill "$podman_api_pid" 2>/dev/null; wait "$podman_api_pid" 2>/dev/null; fi
  podman_api_pid=
}
