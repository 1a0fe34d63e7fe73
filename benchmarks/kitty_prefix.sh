#!/bin/sh
# A kitty new enough for Unicode placeholders, in a private prefix: `sh benchmarks/kitty_prefix.sh [PREFIX]`.
#
# Debian 12 ships kitty 0.26.5, older than placeholders (0.28). This takes Debian 13's kitty (0.41.1) and the
# libraries it was built against (its glibc, Python 3.13, Mesa) as .debs from Debian's archive with apt's own
# client, pointed at a sources list, state and cache inside PREFIX; it extracts them there with `dpkg -x`
# (nothing is installed, the host is untouched) and points a copy of the kitty binary at the prefix's loader
# and libraries (patchelf, DT_RPATH so libraries loaded by libraries resolve there too). The programs kitty
# starts run on the host's own libraries: nothing leaks through the environment.
# Prints the path of the kitty to run; building again is a no-op. Needs: apt-get, dpkg, patchelf.
set -eu
PREFIX=${1:-/opt/tuifeed-kitty}
KITTY="$PREFIX/bin/kitty"
if [ -x "$KITTY" ]; then
    echo "$KITTY"
    exit 0
fi
command -v patchelf >/dev/null || { echo "needs patchelf: apt-get install patchelf" >&2; exit 1; }
ROOT="$PREFIX/root"
APT="$PREFIX/apt"
mkdir -p "$APT/lists/partial" "$APT/archives/partial" "$ROOT" "$PREFIX/bin"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-trixie-stable.gpg] http://deb.debian.org/debian trixie main" \
    >"$APT/sources.list"
set -- -o Dir::Etc::SourceList="$APT/sources.list" -o Dir::Etc::SourceParts=/dev/null \
    -o Dir::State="$APT" -o Dir::State::Lists="$APT/lists" -o Dir::State::status=/dev/null \
    -o Dir::Cache="$APT" -o Dir::Cache::archives="$APT/archives" -o APT::Architecture=amd64
apt-get "$@" update -qq >&2
# kitty and its libraries with everything they pull in, less what only installs or configures a system
# (fonts, debconf, dpkg, init scripts): the host's fonts and fontconfig files serve.
packages=$(apt-cache "$@" depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
    --no-replaces --no-enhances kitty libgl1-mesa-dri libgl1 libegl1 libglx-mesa0 |
    grep -v '^[ <]' | sort -u |
    grep -Ev '^(fonts-|cdebconf|debconf|dpkg|tar|tzdata|sysvinit-utils|lsb-base|x11-common|xfonts-|readline-common|netbase|media-types|libdebian-installer|libnewt|libslang|libtextwrap)')
(cd "$APT/archives" && apt-get "$@" download $packages >&2)
for deb in "$APT"/archives/*.deb; do
    dpkg-deb -x "$deb" "$ROOT"
done
LIBS="$ROOT/usr/lib/x86_64-linux-gnu"
cp "$ROOT/usr/bin/kitty" "$ROOT/usr/bin/kitty.prefix"
patchelf --set-interpreter "$LIBS/ld-linux-x86-64.so.2" --force-rpath --set-rpath "$LIBS" "$ROOT/usr/bin/kitty.prefix"
cat >"$KITTY" <<EOF
#!/bin/sh
# kitty 0.41.1 from Debian 13 on its own loader and libraries (made by benchmarks/kitty_prefix.sh).
LIBGL_DRIVERS_PATH="$LIBS/dri" __EGL_VENDOR_LIBRARY_DIRS="$ROOT/usr/share/glvnd/egl_vendor.d" \\
    exec "$ROOT/usr/bin/kitty.prefix" "\$@"
EOF
chmod +x "$KITTY"
rm -rf "$APT"
echo "$KITTY"
