#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh KVER MODDIR OUTPUT
#
# Build the guest initramfs for Debian kernel KVER:
#   - busybox (static) with its applet links, and scripts/guest-init as /init;
#   - the stock modules the tests need, with their dependencies, from
#     /lib/modules/KVER, and a modules.dep made by depmod for that root;
#   - our modules, either from a built tree (MODDIR/copyoff_core/
#     copyoff_core.ko ...) into /lib/modules/KVER/extra, or, when MODDIR holds
#     installed modules (/lib/modules/KVER/updates/dkms after "dkms install":
#     MODDIR/copyoff_core.ko[.xz] ...), those files as they are into
#     /lib/modules/KVER/updates/dkms, with the host's installed
#     /etc/modprobe.d/copyoff.conf and /etc/modules-load.d/copyoff.conf
#     ("dkms" in /etc/copyoff-module-source; only then tests/pkg is included);
#   - other builds of nvme-core and nvmet (scripts/btf-variant.py) in
#     /usr/lib/copyoff-test, for the tests of copyoff's build identity check;
#   - nvme-cli, dmsetup, fio, iproute2's tc and ip, and our own tools, each
#     with the shared libraries it links;
#   - tests/ as /tests.
# OUTPUT is an uncompressed newc cpio archive (fast to build and to unpack).
# COPYOFF_MODROOT: the root holding lib/modules/KVER for the stock modules
# (default /; make check-debug: the debug kernel's modules_install root).
set -euo pipefail

kver=${1:?usage: mkinitramfs.sh KVER MODDIR OUTPUT}
moddir=${2:?usage: mkinitramfs.sh KVER MODDIR OUTPUT}
out=${3:?usage: mkinitramfs.sh KVER MODDIR OUTPUT}
top=$(cd "$(dirname "$0")/.." && pwd)
modroot=${COPYOFF_MODROOT:-/}
modroot=${modroot%/}

# Stock modules the rig and the tests use (dependencies are added).
STOCK_MODULES="nvme nvme-core nvmet nvmet-tcp nvme-tcp nvme-fabrics dm-mod
	dm-flakey dm-delay dm-mirror dm-snapshot dm-thin-pool dm-cache dm-cache-smq
	dm-writecache loop null_blk virtio_blk virtio_pci configfs sch_tbf sch_prio
	sch_netem cls_u32 ext4 xfs dm-crypt"
# Loopback target; only some kernels have it (6.1 does not).
OPTIONAL_MODULES="nvme-loop"

root=$(mktemp -d "${TMPDIR:-/tmp}/copyoff-initramfs.XXXXXX")
chmod 0755 "$root"	# the guest's /, which mktemp made 0700
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,lib,lib64,etc,proc,sys,dev,tmp,run,mnt,var/tmp}
mkdir -p "$root/etc/nvme"

# busybox and its applets.  Real binaries installed below replace links.
cp /bin/busybox "$root/bin/busybox"
for a in $(/bin/busybox --list); do
	[ "$a" = busybox ] && continue
	ln -sf busybox "$root/bin/$a"
done

# Copy one binary and every shared library it needs.
install_bin() {
	local src=$1 dst=$2 lib
	rm -f "$root$dst"
	mkdir -p "$(dirname "$root$dst")"
	cp -L "$src" "$root$dst"
	for lib in $(ldd "$src" 2>/dev/null | awk '/=> \// { print $3 } /^\t\/lib/ { print $1 }'); do
		[ -e "$root$lib" ] && continue
		mkdir -p "$(dirname "$root$lib")"
		cp -L "$lib" "$root$lib"
	done
}

install_bin /usr/sbin/nvme /usr/sbin/nvme
install_bin /usr/sbin/dmsetup /usr/sbin/dmsetup
install_bin /usr/bin/fio /usr/bin/fio
install_bin /usr/sbin/tc /usr/sbin/tc
install_bin /usr/bin/ip /usr/sbin/ip
# LVM (lvm2), when the host has it (scripts/host-setup.sh installs it): one
# binary that acts by the name it is called with, and a configuration for a
# guest without udev (scripts/lvm-guest.conf).
if [ -x /usr/sbin/lvm ]; then
	install_bin /usr/sbin/lvm /usr/sbin/lvm
	for c in pvcreate pvremove pvs pvmove vgcreate vgremove vgchange vgs lvcreate lvremove lvs \
		lvchange lvconvert lvextend; do
		rm -f "$root/usr/sbin/$c" "$root/bin/$c" "$root/sbin/$c"
		ln -s lvm "$root/usr/sbin/$c"
	done
	mkdir -p "$root/etc/lvm" "$root/run/lvm" "$root/run/lock/lvm"
	cp "$top/scripts/lvm-guest.conf" "$root/etc/lvm/lvm.conf"
fi
# Real copy_file_range(2) callers (core/042).
install_bin /usr/bin/qemu-img /usr/bin/qemu-img
install_bin /usr/sbin/xfs_io /usr/sbin/xfs_io
# Loop devices over XFS image files (core/043): called by full path, as
# busybox runs its own applet for a bare "losetup".
install_bin /usr/sbin/mkfs.xfs /usr/sbin/mkfs.xfs
install_bin /sbin/losetup /usr/sbin/losetup
# Our tools: every executable that tools/*/Makefile built.
for t in $(find "$top/tools" -mindepth 2 -maxdepth 2 -type f -perm -u+x ! -name '*.*'); do
	install_bin "$t" "/usr/local/bin/$(basename "$t")"
done
# The fio engine, when scripts/fio-engine.sh built it, and its example job.
if [ -f "$top/tools/fio/copyoff-fio.so" ]; then
	mkdir -p "$root/usr/local/lib" "$root/usr/local/share/copyoff"
	cp "$top/tools/fio/copyoff-fio.so" "$root/usr/local/lib/copyoff-fio.so"
	cp "$top/tools/fio/copyoff-copy.fio" "$root/usr/local/share/copyoff/"
fi

# Stock modules with their dependencies, as modprobe resolves them.  A
# required one that the kernel lacks (neither a module nor built in) fails
# the build: the tests that need it would only skip.
mods=
for m in $STOCK_MODULES; do
	dep=$(modprobe ${modroot:+-d "$modroot"} -S "$kver" --show-depends "$m") || {
		echo "mkinitramfs: required stock module $m not found for $kver" >&2
		exit 1
	}
	mods+=$dep$'\n'
done
for m in $OPTIONAL_MODULES; do
	dep=$(modprobe ${modroot:+-d "$modroot"} -S "$kver" --show-depends "$m" 2>/dev/null) || continue
	mods+=$dep$'\n'
done
echo "$mods" | awk '$1 == "insmod" { print $2 }' | sort -u | while read -r f; do
	d=${f#"$modroot"}
	mkdir -p "$root$(dirname "$d")"
	cp "$f" "$root$d"
done
for f in modules.builtin modules.builtin.modinfo modules.order; do
	[ -f "$modroot/lib/modules/$kver/$f" ] && cp "$modroot/lib/modules/$kver/$f" "$root/lib/modules/$kver/"
done

# Other builds of nvme-core and nvmet as copyoff sees them (one byte of their
# BTF changed, scripts/btf-variant.py), outside the module tree, for the
# tests of the build identity check (tests/nvme/014, tests/nvmet/015).
mkdir -p "$root/usr/lib/copyoff-test"
for m in nvme-core nvmet; do
	f=$(find "$modroot/lib/modules/$kver/kernel" -name "$m.ko*" | head -n 1)
	[ -n "$f" ] && "$top/scripts/btf-variant.py" "$f" "$root/usr/lib/copyoff-test/$m.ko" > /dev/null
done

# Our modules.
if ls "$moddir"/copyoff_core.ko* > /dev/null 2>&1; then
	source=dkms
	mkdir -p "$root/lib/modules/$kver/updates/dkms" "$root/etc/modprobe.d" \
		"$root/etc/modules-load.d"
	for m in copyoff_core copyoff_cfr copyoff_nvme copyoff_dm copyoff_kcopyd copyoff_dmstock copyoff_nvmet; do
		f=$(ls "$moddir/$m.ko"* 2> /dev/null | head -n 1)
		if [ -z "$f" ]; then
			echo "mkinitramfs: no $m.ko* in $moddir" >&2
			exit 1
		fi
		cp "$f" "$root/lib/modules/$kver/updates/dkms/"
	done
	for f in /etc/modprobe.d/copyoff.conf /etc/modules-load.d/copyoff.conf; do
		[ -f "$f" ] && cp "$f" "$root$f"
	done
else
	source=build
	mkdir -p "$root/lib/modules/$kver/extra"
	# Each module as DIR/NAME: built from the directory of its subsystem.
	for m in copyoff_core/copyoff_core copyoff_core/copyoff_cfr copyoff_nvme/copyoff_nvme \
		copyoff_dm/copyoff_dm copyoff_dm/copyoff_kcopyd copyoff_dm/copyoff_dmstock copyoff_nvmet/copyoff_nvmet; do
		# copyoff_kcopyd and copyoff_dmstock are new: an older tree (a
		# "before" run) has none.
		if [ ! -f "$moddir/$m.ko" ] && { [ "$m" = copyoff_dm/copyoff_kcopyd ] ||
			[ "$m" = copyoff_dm/copyoff_dmstock ]; }; then
			echo "mkinitramfs: no $moddir/$m.ko (an older tree?): left out" >&2
			continue
		fi
		if [ ! -f "$moddir/$m.ko" ]; then
			echo "mkinitramfs: $moddir/$m.ko missing: build the modules first" >&2
			exit 1
		fi
		cp "$moddir/$m.ko" "$root/lib/modules/$kver/extra/"
	done
	# The test-only modules (the fake provider, the unit test of
	# copy_offload=auto), when they were built.
	for m in copyoff_testprov copyoff_autotest copyoff_hooktest; do
		if [ -f "$moddir/tests/kmod/$m.ko" ]; then
			cp "$moddir/tests/kmod/$m.ko" "$root/lib/modules/$kver/extra/"
		fi
	done
fi
depmod -b "$root" "$kver"

# Tests, the init and a tiny /etc.
cp -a "$top/tests" "$root/tests"
rm -rf "$root/tests/kmod"
# tests/pkg is about installed modules only.
[ "$source" = dkms ] || rm -rf "$root/tests/pkg"
echo "$source" > "$root/etc/copyoff-module-source"
cp "$top/scripts/guest-init" "$root/init"
chmod +x "$root/init"
sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf" > "$root/etc/copyoff-version"
# What the build found (compat probes and BTF layouts), for tests to require.
{ cat "$moddir"/include/generated/*.h 2>/dev/null || true; } | sed -n 's/^#define \(HAVE_[A-Z0-9_]*\) 1$/\1/p' \
	> "$root/etc/copyoff-build-features"
echo "root:x:0:0:root:/:/bin/sh" > "$root/etc/passwd"
echo "root:x:0:" > "$root/etc/group"
echo "nobody:x:65534:65534:nobody:/:/bin/sh" >> "$root/etc/passwd"
echo "nogroup:x:65534:" >> "$root/etc/group"
echo "disk:x:6:" >> "$root/etc/group"

mkdir -p "$(dirname "$out")"
(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet) > "$out.tmp"
mv "$out.tmp" "$out"
echo "mkinitramfs: $out ($(du -h "$out" | cut -f1)) for $kver"
