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
# Prints TAP (scripts/tap.sh): a line per stage ("debug: ..."), the guest
# tests' lines from report.py, a line for kernel reports outside any test;
# ends with "N passed, N failed, N skipped" of all of them and exits
# non-zero on any failure.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
t0=$(date +%s)
TAP_PREFIX="debug: " TAP_TAIL=40
. "$top/scripts/tap.sh"

fail() { # fail TEXT [LOGFILE]: a stage failed, nothing after it can run
	tap 1 "$1" "${2:-}"
	tap_summary
	exit 1
}

s=$(date +%s)
mkdir -p build/debug
env_file=$(scripts/debug-kernel.sh 2> build/debug/kernel.log) ||
	fail "debug kernel build" build/debug/kernel.log
sed 's/^/# /' build/debug/kernel.log
# shellcheck disable=SC1090
. "$env_file"
tap 0 "debug kernel $KVER ($KDIR), $(( $(date +%s) - s ))s"

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
tap 0 "$KVER: modules (UBSAN), tests/kmod and tools built, $(( $(date +%s) - s ))s"

scripts/mkinitramfs.sh "$KVER" "$src" "$wd/initrd.cpio" > "$wd/initrd.log" 2>&1 ||
	fail "$KVER: guest initramfs" "$wd/initrd.log"
tap 0 "$KVER: guest initramfs"

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
# The guest tests' lines, counted from report.py's summary (a skip is an
# "ok ... # SKIP" line), as check.sh's guest_run does.
echo "$report" | grep -v ': [0-9]* passed, [0-9]* failed'
sum=$(echo "$report" | tail -n 1)
p=$(echo "$sum" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped/\1 \2 \3/p')
set -- $p
tap_passed=$((tap_passed + ${1:-0}))
tap_failed=$((tap_failed + ${2:-1}))
tap_skipped=$((tap_skipped + ${3:-0}))
# Kernel reports on the console (the tests judge their own; the guest keeps
# most of them off the console: check the log), shown, not counted.
boot=$(grep -nE 'BUG:|WARNING:|KASAN|UBSAN|lockdep|possible circular|kmemleak: [0-9]+ new' \
	"$wd/vm/console.log" | head -n 20 || true)
if [ -n "$boot" ]; then
	echo "# kernel reports on the console:"
	echo "$boot" | sed 's/^/#   /'
fi
# A guest that did not end cleanly is a failure of its own only when no
# test failed (a failing test already makes it exit non-zero).
[ "$vrc" != 0 ] && [ "$tap_failed" = 0 ] &&
	tap_why 1 "$KVER: guest exited with status $vrc"
echo "# guest run took $(( $(date +%s) - s ))s; total $(( $(date +%s) - t0 ))s"
tap_summary
tap_status
