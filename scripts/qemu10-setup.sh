#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# qemu10-setup.sh: unpack QEMU 10 from bookworm-backports into a private
# prefix (COPYOFF_QEMU10_PREFIX, default /opt/copyoff-qemu10), so that
# Debian's QEMU 7.2 stays the rig's default; scripts/vm-run.sh --qemu 10 (or
# COPYOFF_QEMU=10) boots it.  As root; idempotent: with the prefix's QEMU
# there and of version 10, nothing is done.  Called by host-setup.sh, which
# configures the backports suite; run on its own it needs that suite.
#
# The packages are unpacked with dpkg -x, not installed: qemu-system-x86
# (the binary), qemu-system-common (its helpers and modules) and
# qemu-system-data (option ROMs, keymaps).  Every shared library they link
# is one that Debian's QEMU 7.2 needs too, and the BIOS (seabios) is found
# where 7.2 finds it.  QEMU 10 also looks into 7.2's module directory for
# the OpenGL display module it does not have here, and says on stderr that
# it refuses 7.2's ("failed to initialize module: .../ui-opengl.so"): the
# rig needs no display, and the warning is harmless.
set -euo pipefail

PREFIX=${COPYOFF_QEMU10_PREFIX:-/opt/copyoff-qemu10}
PKGS="qemu-system-x86 qemu-system-common qemu-system-data"
bin=$PREFIX/usr/bin/qemu-system-x86_64

have() {
	[ -x "$bin" ] && grep -q '^QEMU emulator version 10\.' <<< "$("$bin" --version 2>/dev/null)"
}

have && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "qemu10-setup: must run as root (apt-get download, $PREFIX)" >&2
	exit 1
fi
policy=$(apt-cache policy qemu-system-x86)
if ! grep -q 'bookworm-backports' <<< "$policy"; then
	echo "qemu10-setup: no qemu-system-x86 from bookworm-backports in the apt cache" \
		"(scripts/host-setup.sh adds the suite; then apt-get update)" >&2
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp" "$PREFIX.new"' EXIT
args=()
for p in $PKGS; do
	args+=("$p/bookworm-backports")
done
# apt's download sandbox user must be able to write there
chmod 0777 "$tmp"
(cd "$tmp" && apt-get download -q "${args[@]}")
rm -rf "$PREFIX.new"
mkdir -p "$PREFIX.new"
for d in "$tmp"/*.deb; do
	dpkg -x "$d" "$PREFIX.new"
done
missing=$(ldd "$PREFIX.new/usr/bin/qemu-system-x86_64" | awk '/not found/ { print $1 }')
if [ -n "$missing" ]; then
	echo "qemu10-setup: libraries missing for QEMU 10: $missing" >&2
	exit 1
fi
rm -rf "$PREFIX"
mv "$PREFIX.new" "$PREFIX"
have || { echo "qemu10-setup: $bin does not run as QEMU 10" >&2; exit 1; }
echo "qemu10-setup: $("$bin" --version | head -n 1) in $PREFIX"
