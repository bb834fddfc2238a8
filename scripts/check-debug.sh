#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-debug: the whole guest suite on the debug kernel (KASAN,
# lockdep, kmemleak, atomic-sleep checks, UBSAN; scripts/debug-kernel.sh).
# Not part of "make check" (the kernel build does not fit CI's limit); run it
# before each release.
#
#  1. build the debug kernel, or reuse the cached one (scripts/debug-kernel.sh)
#  2. our modules and tests/kmod against its tree, in build/debug/KVER/src,
#     with UBSAN instrumentation (UBSAN_SANITIZE=y; KASAN is on by default)
#  3. a guest initramfs with the debug kernel's stock modules
#     (COPYOFF_MODROOT), booted with its image (COPYOFF_KERNEL_IMAGE); every
#     test, those with NVMe/TCP after the others, debug/001 (kmemleak) last
#  4. scripts/report.py on the console and the device trace
#
# Environment: COPYOFF_TESTS (guest tests, default all), COPYOFF_MEM (guest
# MiB, default 3072), COPYOFF_DEBUG_TEST_TIMEOUT (per test, default 1800 s),
# COPYOFF_DEBUG_TIMEOUT (whole guest, default 14400 s), COPYOFF_DEBUG_CACHE
# (see debug-kernel.sh), COPYOFF_ACCEL.
# Ends with "N passed, N failed, N skipped"; exits non-zero on any failure.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
t0=$(date +%s)

fail() { # fail TEXT [LOGFILE]
	echo "not ok - debug: $1"
	[ -n "${2:-}" ] && [ -f "$2" ] && sed 's/^/#   /' "$2" | tail -n 40
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
}

s=$(date +%s)
mkdir -p build/debug
env_file=$(scripts/debug-kernel.sh 2> build/debug/kernel.log) ||
	fail "debug kernel build" build/debug/kernel.log
cat build/debug/kernel.log
# shellcheck disable=SC1090
. "$env_file"
echo "# debug kernel $KVER ($KDIR), took $(( $(date +%s) - s ))s"

# Our modules against the debug tree.  The BTF layouts come from its
# modules_install root and vmlinux (COPYOFF_MODROOT, scripts/btf-layout.sh).
s=$(date +%s)
wd=build/debug/$KVER
src=$top/$wd/src
rm -rf "$src"
mkdir -p "$wd"
scripts/export-tree.sh "$src"
export COPYOFF_MODROOT=$MODROOT
{
	make -C "$src" KDIR="$KDIR" KVER="$KVER" UBSAN_SANITIZE=y modules &&
	make -C "$KDIR" M="$src/tests/kmod" KBUILD_EXTRA_SYMBOLS="$src/Module.symvers" \
		UBSAN_SANITIZE=y modules
} > "$wd/build.log" 2>&1 || fail "$KVER: modules build" "$wd/build.log"
for m in copyoff_core copyoff_core/copyoff_cfr copyoff_nvme copyoff_dm copyoff_dm/copyoff_kcopyd copyoff_dm/copyoff_dmstock copyoff_nvmet tests/kmod/copyoff_testprov tests/kmod/copyoff_hooktest \
	 tests/kmod/copyoff_autotest; do
	[ -f "$src/$m/$(basename "$m").ko" ] || [ -f "$src/$m.ko" ] ||
		fail "$KVER: $m.ko not built" "$wd/build.log"
done
make -s tools > "$wd/tools.log" 2>&1 || fail "tools build" "$wd/tools.log"
echo "# modules built against $KVER in $(( $(date +%s) - s ))s"

scripts/mkinitramfs.sh "$KVER" "$src" "$wd/initrd.cpio" > "$wd/initrd.log" 2>&1 ||
	fail "$KVER: guest initramfs" "$wd/initrd.log"

# Every test; those using NVMe/TCP after the others, debug/001 (kmemleak)
# last.  On 6.1, tearing down an nvmet-tcp queue gives a lockdep report in
# nvmet-tcp itself (README, "Debug kernel"), after which lockdep is off for
# the rest of the boot: the other tests run with lockdep first.
tests=${COPYOFF_TESTS:-}
if [ -z "$tests" ]; then
	late=
	for d in tests/*/; do
		g=$(basename "$d")
		case $g in common | kmod | pkg | debug) continue ;; esac
		for t in $(ls "$d" | grep -E '^[0-9]{3}$' | sort); do
			if grep -qE '_nvmet_export|nvme-tcp|nvmet-tcp' "$d$t"; then
				late="$late $g/$t"
			else
				tests="$tests $g/$t"
			fi
		done
	done
	tests="$tests $late debug/001"
fi

s=$(date +%s)
set +e
COPYOFF_KERNEL_IMAGE=$IMAGE COPYOFF_MEM=${COPYOFF_MEM:-3072} \
	COPYOFF_GUEST_ARGS="TEST_TIMEOUT=${COPYOFF_DEBUG_TEST_TIMEOUT:-1800} ${COPYOFF_GUEST_ARGS:-}" \
	scripts/vm-run.sh --kver "$KVER" --initrd "$wd/initrd.cpio" --workdir "$wd/vm" \
	--tests "$tests" --timeout "${COPYOFF_DEBUG_TIMEOUT:-14400}" > /dev/null
vrc=$?
report=$(scripts/report.py "$KVER" "$wd/vm/console.log" "$wd/vm/nvme-trace.log")
set -e
echo "$report" | grep -v ': [0-9]* passed, [0-9]* failed'
# Kernel reports outside any test (boot, between tests), from the console.
boot=$(grep -nE 'BUG:|WARNING:|KASAN|UBSAN|lockdep|possible circular|kmemleak: [0-9]+ new' \
	"$wd/vm/console.log" | head -n 20)
sum=$(echo "$report" | tail -n 1)
p=$(echo "$sum" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped/\1 \2 \3/p')
set -- $p
passed=${1:-0} failed=${2:-1} skipped=${3:-0}
if [ -n "$boot" ]; then
	echo "# kernel reports on the console (the guest keeps them off it: check the log):"
	echo "$boot" | sed 's/^/#   /'
fi
if [ $vrc != 0 ] && [ "$failed" = 0 ]; then
	echo "not ok - debug: guest exited with status $vrc"
	failed=$((failed + 1))
fi
echo "# guest run took $(( $(date +%s) - s ))s; total $(( $(date +%s) - t0 ))s"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
