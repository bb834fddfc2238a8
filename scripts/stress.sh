#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make stress: the long versions of the reliability tests, not part of
# make check.  For each kernel (COPYOFF_KERNELS, default all with headers):
# build, boot, and run with copyoff.stress=1 on the guest command line, which
# makes the tests below use their long settings:
#   core/030  ioctl fuzzer: 1,000,000 calls, a new seed each run (printed)
#   core/032  16 copiers with ordinary I/O beside them for 300 s, 50 races
#             of copies against buffered writes
# plus the fault tests (nvme/008, core/022, nvmet/005, nvmet/006); then, in a
# guest of 1 GiB with 5 GiB namespaces, nvmet/014: a host at queue depth 64
# of 64 MiB Copy commands on an emulated target namespace.
# Separate build and work directories (build/stress-KVER), so it can run
# beside make check.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
scripts/host-setup.sh > /dev/null || { echo "stress: host set-up failed"; exit 1; }
make -s tools || exit 1
tests=${COPYOFF_STRESS_TESTS:-"core/030 core/032 nvme/008 core/022 nvmet/005 nvmet/006"}
rc=0
for k in ${COPYOFF_KERNELS:-$(scripts/kernels.sh)}; do
	w=build/stress-$k
	mkdir -p "$w"
	rm -rf "$w/src"
	scripts/export-tree.sh "$w/src"
	make -C "$w/src" KVER="$k" modules > "$w/build.log" 2>&1 &&
	make -C "/lib/modules/$k/build" M="$top/$w/src/tests/kmod" \
		KBUILD_EXTRA_SYMBOLS="$top/$w/src/Module.symvers" modules >> "$w/build.log" 2>&1 ||
		{ tail -n 30 "$w/build.log"; echo "stress: build for $k failed"; rc=1; continue; }
	scripts/mkinitramfs.sh "$k" "$w/src" "$w/initrd.cpio" > "$w/initrd.log" 2>&1 ||
		{ echo "stress: initramfs for $k failed"; rc=1; continue; }
	COPYOFF_GUEST_ARGS="copyoff.stress=1 copyoff.verbose=1" scripts/vm-run.sh --kver "$k" \
		--initrd "$w/initrd.cpio" --workdir "$w/vm" --tests "$tests" --timeout 5400 > /dev/null
	scripts/report.py "$k" "$w/vm/console.log" "$w/vm/nvme-trace.log" || rc=1
	COPYOFF_MEM=1024 COPYOFF_NS_SIZE=5G \
	COPYOFF_GUEST_ARGS="copyoff.stress=1 copyoff.verbose=1" scripts/vm-run.sh --kver "$k" \
		--initrd "$w/initrd.cpio" --workdir "$w/vm-mem" --tests "nvmet/014" --timeout 3600 > /dev/null
	scripts/report.py "$k-1G" "$w/vm-mem/console.log" "$w/vm-mem/nvme-trace.log" || rc=1
done
exit $rc
