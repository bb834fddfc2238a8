#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install everything copyoff's build, rig and tests need on a Debian 12 host,
# as root.  Idempotent: a second run only checks.
#
# The bookworm-backports suite (for the 6.12 kernel and QEMU 10) is added
# from the mirror that the machine's own apt configuration already uses; no
# host name is written here.  QEMU 10 is unpacked into a private prefix by
# qemu10-setup.sh (Debian's QEMU 7.2 stays the default).
set -euo pipefail

STAMP=/var/lib/copyoff-host-setup.v3
[ "${COPYOFF_FORCE_SETUP:-0}" = 1 ] && rm -f "$STAMP"
# Done before, and still all there: nothing to do.
if [ -f "$STAMP" ]; then
	ok=1
	for c in qemu-system-x86_64 qemu-img xfs_io busybox nvme dmsetup lvm fio dkms sparse pahole depmod cpio python3 \
		man groff openssl dpkg-buildpackage dpkg-parsechangelog dh dh_dkms; do
		command -v "$c" > /dev/null 2>&1 || ok=0
	done
	[ "$(bash "$(dirname "$0")/kernels.sh" | wc -w)" -ge 2 ] || ok=0
	# QEMU 10 (checks only, when it is there; a set-up from before it
	# was part of the rig gets just that)
	[ $ok = 1 ] && exec bash "$(dirname "$0")/qemu10-setup.sh"
	echo "host-setup: something went missing since the last set-up; installing again"
fi

if [ "$(id -u)" != 0 ]; then
	echo "host-setup: must run as root (apt-get install)" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive

. "$(dirname "$0")/apt-mirror.sh"

mirror=$(debian_mirror | head -n 1)
if [ -z "$mirror" ]; then
	echo "host-setup: no bookworm source found in the apt configuration" >&2
	exit 1
fi

bpo=/etc/apt/sources.list.d/copyoff-bookworm-backports.list
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	echo "host-setup: adding bookworm-backports from the configured mirror"
	printf 'deb %s bookworm-backports main\ndeb-src %s bookworm-backports main\ndeb-src %s bookworm main\n' \
		"$mirror" "$mirror" "$mirror" > "$bpo"
fi

apt-get update -q

# Newest 6.1 image from bookworm, newest 6.12 image from backports.
k61=$(apt-cache depends linux-image-amd64/bookworm 2>/dev/null |
	awk '/Depends: linux-image-6\.1\./ { print $2; exit }')
k612=$(apt-cache depends -t bookworm-backports linux-image-amd64/bookworm-backports 2>/dev/null |
	awk '/Depends: linux-image-6\.12\./ { print $2; exit }')
if [ -z "$k61" ] || [ -z "$k612" ]; then
	echo "host-setup: cannot find the 6.1 ($k61) or 6.12 ($k612) kernel image package" >&2
	exit 1
fi
h61=${k61/linux-image-/linux-headers-}
h612=${k612/linux-image-/linux-headers-}

apt-get install -y -q --no-install-recommends \
	build-essential bc bison flex libelf-dev kmod cpio xz-utils zstd \
	sparse dkms dwarves \
	qemu-system-x86 qemu-utils busybox-static \
	nvme-cli dmsetup lvm2 fio iproute2 xfsprogs \
	python3 jq \
	man-db groff-base openssl dpkg-dev debhelper dh-dkms \
	"$k61" "$h61"
apt-get install -y -q --no-install-recommends -t bookworm-backports "$k612" "$h612"

bash "$(dirname "$0")/qemu10-setup.sh"

touch "$STAMP"
echo "host-setup: done ($k61, $k612)"
