#!/usr/bin/env bash
# Installs the Debian packages Lookout needs, only those missing.
#   scripts/install-deps.sh          what building and running needs
#   scripts/install-deps.sh --test   also what the test suite needs (tmux, the real monitoring stack with
#                                    VictoriaMetrics and Alertmanager, the reference tools other tests compare with,
#                                    and what scripts/bench.sh measures with: btop, valgrind, /usr/bin/time)
set -euo pipefail

packages=(pkg-config libncurses-dev libcurl4-openssl-dev)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(tmux python3 prometheus prometheus-node-exporter prometheus-redis-exporter
             prometheus-postgres-exporter redis-server postgresql procps iproute2
             victoria-metrics prometheus-alertmanager
             python3-prometheus-client python3-jsonschema valgrind btop libxml2-utils dpkg-dev time)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "installing: ${missing[*]}" >&2
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "error: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# Debian's postinst scripts may try to start daemons; the tests start their own on loopback.
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
