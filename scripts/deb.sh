#!/usr/bin/env bash
# Builds a Debian package of Lookout with dpkg-deb: the binary (Swift runtime linked in), layouts,
# rules, man page and shell completions under /usr, depending on the Debian libraries it links.
#   scripts/deb.sh [OUTPUT_DIR]          default: $SCRATCH/deb; prints the .deb's path
# Environment: BUILD (release|debug, default release), SCRATCH (default .build-release),
# SKIP_BUILD=1 to package what is built (see scripts/stage.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export BUILD=${BUILD:-release}
export SCRATCH=${SCRATCH:-.build-release}
# A server has no Swift toolchain: link its runtime into release packages. A debug package (for
# tests) keeps the toolchain's shared runtime and so only works where Swift is installed.
if [[ "$BUILD" == release ]]; then export STATIC_STDLIB=${STATIC_STDLIB:-1}; fi
out=${1:-$SCRATCH/deb}
work=$(mktemp -d "${TMPDIR:-/tmp}/lookout-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
root="$work/root"

scripts/stage.sh "$root" /usr
bin="$root/usr/bin/lookout"
# A release package must run on a server without Swift: no Swift runtime from the toolchain.
if [[ "$BUILD" == release ]] && ldd "$bin" | grep -q 'libswiftCore\.so'; then
  echo "deb.sh: $bin links the toolchain's Swift runtime; it would not run without Swift" >&2
  exit 1
fi
version=$("$bin" --version | awk '{print $2}')
[[ "$version" =~ ^[0-9][0-9A-Za-z.+~-]*$ ]] || { echo "deb.sh: odd version '$version'" >&2; exit 1; }
arch=$(dpkg --print-architecture)
install -d "$root/usr/share/doc/lookout"
install -m 0644 docs/usage.md "$root/usr/share/doc/lookout/usage.md"

# Runtime dependencies from the libraries the binary links (dpkg-shlibdeps wants a debian/control
# beside it); libncursesw6 and libcurl4 are named whatever it finds. Libraries no package owns
# (a debug build's Swift runtime) are left out.
mkdir -p "$work/shlibs/debian"
printf 'Source: lookout\n\nPackage: lookout\nArchitecture: any\n' > "$work/shlibs/debian/control"
detected=$(cd "$work/shlibs" && dpkg-shlibdeps -O --ignore-missing-info -e"$bin" 2>/dev/null \
  | sed -n 's/^shlibs:Depends=//p' || true)
depends="libncursesw6, libcurl4"
IFS=',' read -ra parts <<< "$detected"
for p in "${parts[@]}"; do
  p=$(echo "$p" | sed 's/^ *//; s/ *$//')
  [[ -z "$p" ]] && continue
  name=${p%% *}
  [[ "$name" == libncursesw6 || "$name" == libcurl4 ]] && { depends=${depends/$name/$p}; continue; }
  depends="$depends, $p"
done

install -d "$root/DEBIAN"
cat > "$root/DEBIAN/control" <<CONTROL
Package: lookout
Version: $version
Architecture: $arch
Maintainer: Lookout maintainers <lookout@localhost>
Installed-Size: $(du -sk "$root/usr" | cut -f1)
Depends: $depends
Section: admin
Priority: optional
Description: terminal dashboard for on-call engineers
 Live PromQL panels, alerts and a health score in the terminal, from a
 Prometheus server or by scraping exporters itself. Grafana dashboards load
 as layouts; Prometheus rule files evaluate locally.
CONTROL

mkdir -p "$out"
deb="$out/lookout_${version}_${arch}.deb"
# xz for release packages; gzip is much faster on a 50 MB debug binary.
compress=xz
[[ "$BUILD" == debug ]] && compress=gzip
dpkg-deb --root-owner-group -Z"$compress" --build "$root" "$deb" >&2
echo "$deb"
