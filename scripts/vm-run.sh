#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-run.sh [options]
#
# Boot a Debian kernel in QEMU with a copyoff initramfs and the rig's
# devices, and stream the guest's serial console to stdout and to
# WORKDIR/console.log.  The guest's own exit status (printed on the console
# as "copyoff-guest-exit: N") becomes this script's exit status.
#
#   --kver KVER        kernel release (/boot/vmlinuz-KVER, or the image
#                      COPYOFF_KERNEL_IMAGE names)                      required
#   --initrd FILE      initramfs from scripts/mkinitramfs.sh            required
#   --workdir DIR      disk images, console.log, nvme-trace.log         required
#   --mode MODE        check | demo | shell (default: check)
#   --tests "A B"      tests to run in check mode (default: all)
#   --timeout SEC      kill the guest after SEC seconds (default: 1500)
#   --qemu QEMU        which QEMU (default: COPYOFF_QEMU, else Debian's
#                      qemu-system-x86_64 on PATH, 7.2 on Debian 12):
#                      "10" for the QEMU 10 that scripts/qemu10-setup.sh
#                      unpacks into COPYOFF_QEMU10_PREFIX (default
#                      /opt/copyoff-qemu10), or the path of a
#                      qemu-system-x86_64 binary (one under PREFIX/usr/bin
#                      gets its own data and modules from PREFIX)
#
# Devices (see README, "The rig"):
#   nvme controller serial "copyoff-nvme": nsid 1 and 2, Copy supported,
#     limits from COPYOFF_NS1_LIMITS / COPYOFF_NS2_LIMITS
#   nvme controller serial "copyoff-mark": nsid 9, 8 MiB, used only for
#     per-test markers in the Copy trace
#   nvme controller serial "copyoff-fmt": nsid 3, 512 MiB, 4096-byte blocks,
#     mssrl=65535 (a range above a 16-bit NLB once formatted to 512 bytes),
#     for reformatting tests
#   nvme controller serial "copyoff-pi": nsid 4, 64 MiB, 512-byte blocks with
#     8 bytes of metadata (separate) and protection information type 1
#   nvme controller serial "copyoff-mcl": nsid 5, 64 MiB, mssrl=256, mcl=1000,
#     msrc=31: MCL far below MSSRL x (MSRC+1) = 8192, and not a multiple of
#     MSSRL, so only the host's MCL keeps a command within it
#   virtio-blk disk (no Copy)
# Every option and trace event used here is accepted by QEMU 7.2 and 10.0
# alike.  QEMU 9 and later give every controller a subsystem of its own
# (CMIC: multi-controller), so that the guest kernel would make each
# namespace a multipath head (nvme<S>n<N>, bio-based, paths nvme<S>c<C>n<N>);
# with QEMU 9 and later the guest gets nvme_core.multipath=N, so that the
# namespaces are the same disks, under their controllers, as with 7.2.  The guest learns the QEMU version from the kernel command line
# (copyoff.qemu=MAJOR.MINOR): QEMU 9.1 and later take Copy descriptor
# formats 2 and 3 (across namespaces), 7.2 does not.
# Copy trace events (pci_nvme_copy*), and the status of every command that
# fails (pci_nvme_err_req_status: a Copy refused before its first range has
# no other line), are written to WORKDIR/nvme-trace.log
# (COPYOFF_TRACE=0 turns the trace off, for benchmarks).
# COPYOFF_NS_DIR: the directory of the images of namespaces 1 and 2, when
# not WORKDIR (make bench puts them on the host's tmpfs, so that no run pays
# for the host's writeback of an earlier run's data); created if need be,
# and the images are removed there when the guest ends.
# Acceleration: COPYOFF_ACCEL=tcg (default; nested KVM hangs on the
# project's machines) or kvm.
set -euo pipefail

kver= initrd= workdir= mode=check tests= timeout=1500 qemu_sel=${COPYOFF_QEMU:-}
while [ $# -gt 0 ]; do
	case "$1" in
	--qemu) qemu_sel=$2; shift 2 ;;
	--kver) kver=$2; shift 2 ;;
	--initrd) initrd=$2; shift 2 ;;
	--workdir) workdir=$2; shift 2 ;;
	--mode) mode=$2; shift 2 ;;
	--tests) tests=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	*) echo "vm-run: unknown option $1" >&2; exit 2 ;;
	esac
done
[ -n "$kver" ] && [ -n "$initrd" ] && [ -n "$workdir" ] || {
	echo "vm-run: --kver, --initrd and --workdir are required" >&2; exit 2; }

kernel=${COPYOFF_KERNEL_IMAGE:-/boot/vmlinuz-$kver}
[ -r "$kernel" ] || { echo "vm-run: no $kernel" >&2; exit 2; }

# The QEMU binary, and for one unpacked into a prefix, its data directory
# first (the firmware Debian's seabios package has stays found through the
# binary's own search path) and its modules.
qemu_bin=qemu-system-x86_64
qemu_data=()
case "$qemu_sel" in
'') ;;
10) qemu_bin=${COPYOFF_QEMU10_PREFIX:-/opt/copyoff-qemu10}/usr/bin/qemu-system-x86_64 ;;
*) qemu_bin=$qemu_sel ;;
esac
if [ "$qemu_bin" != qemu-system-x86_64 ]; then
	[ -x "$qemu_bin" ] || {
		echo "vm-run: no QEMU at $qemu_bin (scripts/qemu10-setup.sh installs QEMU 10)" >&2
		exit 2
	}
	prefix=$(dirname "$(dirname "$(dirname "$qemu_bin")")")
	if [ "$(dirname "$qemu_bin")" = "$prefix/usr/bin" ] && [ -d "$prefix/usr/share/qemu" ]; then
		qemu_data=(-L "$prefix/usr/share/qemu")
		export QEMU_MODULE_DIR=$prefix/usr/lib/x86_64-linux-gnu/qemu
	fi
fi
qemu_ver=$("$qemu_bin" --version | sed -n 's/^QEMU emulator version \([0-9]*\.[0-9]*\).*/\1/p')
[ -n "$qemu_ver" ] || { echo "vm-run: $qemu_bin --version gives no version" >&2; exit 2; }

NS1_LIMITS=${COPYOFF_NS1_LIMITS:-mssrl=2048,mcl=32768,msrc=15}
NS2_LIMITS=${COPYOFF_NS2_LIMITS:-mssrl=8,mcl=16,msrc=1}
NS_SIZE=${COPYOFF_NS_SIZE:-512M}
ACCEL=${COPYOFF_ACCEL:-tcg}
MEM=${COPYOFF_MEM:-2048}

mkdir -p "$workdir"
rm -f "$workdir"/*.img "$workdir/nvme-trace.log" "$workdir/console.log"
nsdir=${COPYOFF_NS_DIR:-$workdir}
if [ "$nsdir" != "$workdir" ]; then
	mkdir -p "$nsdir"
	trap 'rm -f "$nsdir/ns1.img" "$nsdir/ns2.img"' EXIT
fi
truncate -s "$NS_SIZE" "$nsdir/ns1.img" "$nsdir/ns2.img"
# COPYOFF_NS_PREWRITE=1 (make bench): the images of namespaces 1 and 2
# written through (zeros), so that no run pays for the host file system's
# first allocation of the blocks it writes while a later run of the same
# cell does not.
if [ "${COPYOFF_NS_PREWRITE:-0}" = 1 ]; then
	for f in "$nsdir/ns1.img" "$nsdir/ns2.img"; do
		dd if=/dev/zero of="$f" bs=4M count=$(($(stat -c %s "$f") / 4194304)) \
			conv=notrunc status=none || { echo "vm-run: writing $f failed" >&2; exit 2; }
	done
fi
truncate -s 256M "$workdir/virtio.img"
truncate -s 8M "$workdir/mark.img"
truncate -s 512M "$workdir/fmt.img"
truncate -s 64M "$workdir/pi.img"
truncate -s 64M "$workdir/mcl.img"

# The kernel command line carries the mode and the test list to /init.
tests_arg=$(echo "$tests" | tr ' ' ',')
append="console=ttyS0 panic=-1 oops=panic edd=off quiet loglevel=3"
append+=" log_buf_len=8M copyoff.mode=$mode copyoff.qemu=$qemu_ver"
[ "${qemu_ver%%.*}" -ge 9 ] && append+=" nvme_core.multipath=N"
[ -n "$tests_arg" ] && append+=" copyoff.tests=$tests_arg"
[ -n "${COPYOFF_GUEST_ARGS:-}" ] && append+=" $COPYOFF_GUEST_ARGS"

qemu=("$qemu_bin" "${qemu_data[@]}"
	-accel "$ACCEL" -smp 2 -m "$MEM"
	-kernel "$kernel" -initrd "$initrd" -append "$append"
	-display none -monitor none -serial stdio -nic none -no-reboot
	-drive "file=$nsdir/ns1.img,if=none,id=ns1,format=raw,cache=unsafe"
	-drive "file=$nsdir/ns2.img,if=none,id=ns2,format=raw,cache=unsafe"
	-device nvme,serial=copyoff-nvme,id=nvme0
	-device "nvme-ns,drive=ns1,bus=nvme0,nsid=1,$NS1_LIMITS"
	-device "nvme-ns,drive=ns2,bus=nvme0,nsid=2,$NS2_LIMITS"
	-drive "file=$workdir/mark.img,if=none,id=mark,format=raw,cache=unsafe"
	-device nvme,serial=copyoff-mark,id=nvmem
	-device nvme-ns,drive=mark,bus=nvmem,nsid=9
	-drive "file=$workdir/fmt.img,if=none,id=fmt,format=raw,cache=unsafe"
	-device nvme,serial=copyoff-fmt,id=nvmef
	-device nvme-ns,drive=fmt,bus=nvmef,nsid=3,logical_block_size=4096,physical_block_size=4096,mssrl=65535,mcl=131070,msrc=1
	-drive "file=$workdir/pi.img,if=none,id=pi,format=raw,cache=unsafe"
	-device nvme,serial=copyoff-pi,id=nvmep
	-device nvme-ns,drive=pi,bus=nvmep,nsid=4,ms=8,mset=0,pi=1,mssrl=128,mcl=128,msrc=0
	-drive "file=$workdir/mcl.img,if=none,id=mcl,format=raw,cache=unsafe"
	-device nvme,serial=copyoff-mcl,id=nvmel
	-device nvme-ns,drive=mcl,bus=nvmel,nsid=5,mssrl=256,mcl=1000,msrc=31
	-drive "file=$workdir/virtio.img,if=virtio,format=raw,cache=unsafe"
)
[ "${COPYOFF_TRACE:-1}" = 1 ] &&
	qemu+=(-trace 'pci_nvme_copy*' -trace pci_nvme_err_req_status -D "$workdir/nvme-trace.log")

set +e
timeout --foreground -k 10 "$timeout" "${qemu[@]}" < /dev/null 2>&1 |
	tr -d '\r' | tee "$workdir/console.log"
qrc=${PIPESTATUS[0]}
set -e
if [ "$qrc" = 124 ]; then
	echo "vm-run: guest killed after ${timeout}s" | tee -a "$workdir/console.log"
	exit 124
fi
rc=$(sed -n 's/^copyoff-guest-exit: \([0-9]*\).*/\1/p' "$workdir/console.log" | tail -n 1)
if [ -z "$rc" ]; then
	echo "vm-run: the guest ended without an exit status (qemu status $qrc)" |
		tee -a "$workdir/console.log"
	exit 125
fi
exit "$rc"
