#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: everything, on a fresh Debian 12 machine as root.
#
#  1. host set-up (apt: QEMU, busybox, nvme-cli, dmsetup, fio, dkms, sparse,
#     both kernels' images and headers; scripts/host-setup.sh)
#  2. for each kernel: build with W=1 (no warning allowed) and with C=2
#     (sparse: no report allowed), the tools, and host-side checks
#  3. the Debian packages: build, install (DKMS builds the modules for every
#     installed kernel), check, purge (scripts/pkg-test.sh)
#  4. for each kernel: guest initramfs, boot in QEMU, run tests/, check the
#     device trace (scripts/report.py); then a guest on QEMU 10 (the rig's
#     other QEMU, scripts/qemu10-setup.sh) runs the cross-namespace tests
#     nvme/030-039 and nvmet/030-039 again; then a guest with the modules DKMS installed runs
#     tests/pkg
#
# Environment: COPYOFF_KERNELS (kernel list), COPYOFF_TESTS (guest tests,
# default all), COPYOFF_SKIP_DKMS=1, COPYOFF_SKIP_QEMU10=1, COPYOFF_ACCEL=kvm.
# Prints TAP and ends with "N passed, N failed, N skipped"; exits non-zero on
# any failure, and on a guest test's skip that tests/expected-skips does not
# list for the kernel.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
t0=$(date +%s)
# host checks: tap RC TEXT [LOG]; tap_lines SCRIPT (its TAP lines counted)
TAP_TAIL=40
. "$top/scripts/tap.sh"

stage_time() { # stage_time NAME START
	echo "# stage: $1 took $(( $(date +%s) - $2 ))s"
}

s=$(date +%s)
if ! scripts/host-setup.sh > build-setup.log 2>&1; then
	cat build-setup.log
	echo "check: host set-up failed"
	echo "0 passed, 1 failed"
	exit 1
fi
rm -f build-setup.log
stage_time "host set-up" "$s"

kernels=$(scripts/kernels.sh)
if [ "$(echo $kernels | wc -w)" -lt 1 ]; then
	echo "check: no kernel with headers found"
	echo "0 passed, 1 failed"
	exit 1
fi
echo "# kernels: $kernels"
mkdir -p build

# --- 2. builds and host-side checks ----------------------------------------
s=$(date +%s)
make -s tools > build/tools.log 2>&1
tap $? "tools build with -Wall -Wextra -Werror" build/tools.log

# Module code never tests a kernel version: compat probes do.
hits=$(grep -rn 'LINUX_VERSION_CODE\|KERNEL_VERSION(' copyoff_core copyoff_nvme copyoff_dm copyoff_nvmet include 2>/dev/null)
[ -z "$hits" ]
tap $? "no LINUX_VERSION_CODE/KERNEL_VERSION in module code${hits:+: $hits}"

# Kernel log messages carry the module's prefix: every source file of a
# module defines pr_fmt before its first #include, and nothing calls printk()
# directly (pr_*() and dev_*() only, so the prefix is never bypassed).
bad=$(for f in copyoff_*/*.c; do
	awk '/^#define pr_fmt\(fmt\) "copyoff[a-z_]*: " fmt$/ { ok = 1 }
	     /^#include/ { exit } END { if (!ok) print FILENAME }' "$f"
done; grep -ln '[^_]printk(' copyoff_*/*.c)
[ -z "$bad" ]
tap $? "every module source file sets a pr_fmt prefix before its includes, no bare printk${bad:+: $bad}"

ver=$(make -s version)
deb=$(dpkg-parsechangelog -l debian/changelog -S Version 2> /dev/null)
[ -n "$ver" ] && [ "$(tools/copyoff/copyoff version)" = "copyoff $ver" ] && [ "${deb%-*}" = "$ver" ]
tap $? "one version ($ver): dkms.conf, the tool and debian/changelog ($deb) agree"

# Man pages, module parameter documentation, udev rule.
tap_lines scripts/host-checks.sh

# The report's device-trace checks and expected skips, on hand-made input.
scripts/report-selftest.sh > build/report-selftest.log 2>&1
tap $? "report.py: serial traces judged, interleaved ones not per command, range counts, markers, expected skips" build/report-selftest.log

# The fio external engine, against the installed fio's source (the guest
# test fio/001 uses it).
scripts/fio-engine.sh > build/fio-engine.log 2>&1
tap $? "fio external engine builds against the installed fio's source, -Wall -Wextra clean" build/fio-engine.log

for k in $kernels; do
	src=$(scripts/build-kernel.sh "$k" W=1 2> "build/$k.err")
	rc=$?
	[ $rc = 0 ] || cp "build/$k.err" "build/$k/build.log" 2>/dev/null
	tap $rc "$k: modules build" "build/$k.err"
	if [ $rc = 0 ]; then
		w=$(grep -E 'warning:|error:' "build/$k/build.log")
		[ -z "$w" ]
		tap $? "$k: W=1 build has no warning" "build/$k/build.log"
		for m in copyoff_core/copyoff_core copyoff_core/copyoff_cfr copyoff_nvme/copyoff_nvme \
			copyoff_dm/copyoff_dm copyoff_dm/copyoff_kcopyd copyoff_dm/copyoff_dmstock copyoff_nvmet/copyoff_nvmet; do
			[ -f "$src/$m.ko" ] || { tap 1 "$k: $m.ko built"; continue; }
		done
		# The test-only modules the guest tests load (core/033 and more).
		for m in copyoff_testprov copyoff_autotest copyoff_hooktest; do
			[ -f "$src/tests/kmod/$m.ko" ] || tap 1 "$k: tests/kmod/$m.ko built"
		done
		# sparse, on a separate copy so the W=1 build stays as it is.
		rm -rf "build/$k/sparse-src"
		scripts/export-tree.sh "build/$k/sparse-src"
		make -C "build/$k/sparse-src" KVER="$k" C=2 modules > "build/$k/sparse.log" 2>&1 &&
		make -C "/lib/modules/$k/build" M="$top/build/$k/sparse-src/tests/kmod" C=2 \
			KBUILD_EXTRA_SYMBOLS="$top/build/$k/sparse-src/Module.symvers" modules \
			>> "build/$k/sparse.log" 2>&1
		rc=$?
		sp=$(grep -vE '^ *(CHECK|CC|LD|MODPOST|BTF|make|Skipping|  )' "build/$k/sparse.log" |
			grep -E 'warning:|error:')
		[ $rc = 0 ] && [ -z "$sp" ]
		tap $? "$k: sparse (C=2) is clean" "build/$k/sparse.log"
		# The variant built where no BTF layout can be read (see
		# scripts/btf-layout.sh): W=1 clean too.
		rm -rf "build/$k/nobtf-src"
		scripts/export-tree.sh "build/$k/nobtf-src"
		COPYOFF_NO_BTF=1 make -C "build/$k/nobtf-src" KVER="$k" W=1 modules \
			> "build/$k/nobtf.log" 2>&1
		rc=$?
		w=$(grep -E 'warning:|error:' "build/$k/nobtf.log")
		[ $rc = 0 ] && [ -z "$w" ] && grep -q 'no private layouts' "build/$k/nobtf-src/include/generated/copyoff_btf.h"
		tap $? "$k: builds W=1-clean without BTF layouts (fallback paths)" "build/$k/nobtf.log"
		# ... where copyoff_nvmet is left out with the reason, and only it.
		n=build/$k/nobtf-src
		grep -q '^copyoff_nvmet: NOT BUILT: no private layouts: COPYOFF_NO_BTF=1' "build/$k/nobtf.log" &&
			grep -q '^copyoff_dmstock: built without its provider (it refuses to load): no private layouts' "build/$k/nobtf.log" &&
			[ ! -e $n/copyoff_nvmet/copyoff_nvmet.ko ] && [ -e $n/copyoff_core/copyoff_core.ko ] &&
			[ -e $n/copyoff_nvme/copyoff_nvme.ko ] && [ -e $n/copyoff_dm/copyoff_dm.ko ]
		tap $? "$k: without BTF layouts copyoff_nvmet is not built and copyoff_dmstock has no provider, each says why, the rest is built" "build/$k/nobtf.log"
	fi
done
# make install / make uninstall with DESTDIR and PREFIX, in the W=1 trees.
built=$(for k in $kernels; do [ -f "build/$k/src/copyoff_core/copyoff_core.ko" ] && echo "$k"; done)
[ -n "$built" ] && tap_lines scripts/install-test.sh $built
stage_time "builds" "$s"

# --- 3. packages and DKMS ---------------------------------------------------------
# Builds the Debian packages, installs them (DKMS builds the modules for every
# installed kernel), checks, makes guest initramfs images from the DKMS
# install location, purges (scripts/pkg-test.sh).
if [ "${COPYOFF_SKIP_DKMS:-0}" != 1 ]; then
	s=$(date +%s)
	tap_lines scripts/pkg-test.sh $kernels
	stage_time "packages and dkms" "$s"
fi

# --- 4. guest tests -----------------------------------------------------------
# The tests of tests/pkg run in a second guest, booted with the modules DKMS
# installed (build/KVER/dkms-initrd.cpio); all others with the W=1 build's.
# COPYOFF_TESTS may name either.
tree_tests= pkg_tests=
for t in ${COPYOFF_TESTS:-}; do
	case $t in
	pkg | pkg/*) pkg_tests="$pkg_tests $t" ;;
	*) tree_tests="$tree_tests $t" ;;
	esac
done
[ -z "${COPYOFF_TESTS:-}" ] && pkg_tests=pkg

# The tests that run on QEMU 10 too: nvme/030-039 and nvmet/030-039 (Copy across namespaces,
# descriptor formats 2 and 3, which QEMU 7.2 does not have), those of them
# COPYOFF_TESTS names, or all.
q10_tests=
for t in tests/nvme/03[0-9] tests/nvmet/03[0-9]; do
	[ -x "$t" ] || continue
	t=${t#tests/}
	if [ -z "${COPYOFF_TESTS:-}" ] || [[ " $tree_tests " == *" $t "* ]]; then
		q10_tests="$q10_tests $t"
	fi
done
[ "${COPYOFF_SKIP_QEMU10:-0}" = 1 ] && q10_tests=

guest_run() { # guest_run KVER LABEL INITRD WORKDIR TESTS [VM-RUN OPTIONS]
	local k=$1 label=$2 initrd=$3 wd=$4 tests=$5 vrc report sum p
	shift 5
	scripts/vm-run.sh --kver "$k" --initrd "$initrd" --workdir "$wd" --tests "$tests" "$@" > /dev/null
	vrc=$?
	# A skip that tests/expected-skips does not list for the kernel fails.
	report=$(scripts/report.py --expected-skips tests/expected-skips --kernel "$k" \
		"$label" "$wd/console.log" "$wd/nvme-trace.log")
	echo "$report" | grep -v ': [0-9]* passed, [0-9]* failed'
	sum=$(echo "$report" | tail -n 1)
	echo "# $sum"
	p=$(echo "$sum" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped/\1 \2 \3/p')
	set -- $p
	tap_passed=$((tap_passed + ${1:-0}))
	tap_failed=$((tap_failed + ${2:-1}))
	tap_skipped=$((tap_skipped + ${3:-0}))
	if [ $vrc != 0 ] && [ "${2:-1}" = 0 ]; then
		tap 1 "$label: guest exited with status $vrc" "$wd/console.log"
	fi
}

for k in $kernels; do
	s=$(date +%s)
	src=$top/build/$k/src
	if [ -z "${COPYOFF_TESTS:-}" ] || [ -n "$tree_tests" ]; then
		if [ ! -f "$src/copyoff_core/copyoff_core.ko" ]; then
			tap 1 "$k: guest tests (modules did not build)"
		elif ! scripts/mkinitramfs.sh "$k" "$src" "build/$k/initrd.cpio" > "build/$k/initrd.log" 2>&1; then
			tap 1 "$k: guest initramfs" "build/$k/initrd.log"
		else
			guest_run "$k" "$k" "build/$k/initrd.cpio" "build/$k/vm" "$tree_tests"
			[ -n "$q10_tests" ] && guest_run "$k" "$k qemu10" "build/$k/initrd.cpio" \
				"build/$k/vm-qemu10" "$q10_tests" --qemu 10
		fi
	fi
	if [ "${COPYOFF_SKIP_DKMS:-0}" != 1 ] && [ -n "$pkg_tests" ]; then
		if [ -f "build/$k/dkms-initrd.cpio" ]; then
			guest_run "$k" "$k dkms" "build/$k/dkms-initrd.cpio" "build/$k/dkms-vm" "$pkg_tests"
		else
			tap 1 "$k dkms: guest tests (no initramfs from the DKMS install)"
		fi
	fi
	stage_time "guest tests on $k" "$s"
done

echo "# total time: $(( $(date +%s) - t0 ))s"
tap_summary
tap_status
