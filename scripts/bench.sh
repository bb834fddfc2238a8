#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: the seed's performance table for copyoff, every method side by
# side in one guest run (tests/bench/run), so that ratios hold on a noisy
# machine.  Not part of make check.
#
#   COPYOFF_BENCH_KERNEL   kernel to run (default: the 6.1 kernel)
#   COPYOFF_BENCH_TIME     seconds per run (default 0.8)
#   COPYOFF_BENCH_REPS     runs per cell, median reported (default 3)
#   COPYOFF_BENCH_JOBS     job counts (default "1 8")
#   COPYOFF_BENCH_CELLS    unit x ranges, in every placement (default "8192x1 2097152x16
#                          8192x8 131072x1"); a suffix c makes the ranges contiguous
#                          (8192x8c: sources and destinations both follow each other),
#                          s scattered (8192x8s: both spaced); without one, sources are
#                          spaced and destinations follow.  Setting it runs exactly these
#                          cells (no COPYOFF_BENCH_XCELLS unless that is set too)
#   COPYOFF_BENCH_XCELLS   more cells, local placement only (default: issue 20's shapes,
#                          8192x8c 8192x8s 8192x16c 8192x16s 131072x16c 131072x16s
#                          2097152x1 2097152x16c 2097152x16s; "none" for none)
#   COPYOFF_BENCH_XREPS    runs per XCELLS cell (default 1)
#   COPYOFF_BENCH_NETREPS  runs per cell in the NVMe/TCP and cross-namespace placements
#                          (default 2)
#   COPYOFF_BENCH_PLACES   "local tcp tcp1g"
#   COPYOFF_BENCH_METHODS  "simple aio emulate offload auto raw fio-emulate fio-offload"
#   COPYOFF_BENCH_CLONE    MiB of the clone cell (dd, qemu-img convert, and -C through
#                          copyoff_cfr), 0 for none (default 256)
#   COPYOFF_BENCH_LVCLONE  MiB of the LV clone cell (dd, emulation and offload between
#                          two linear volumes, locally and over NVMe/TCP at 1 Gb/s,
#                          through copyoff_dmstock), 0 for none (default 256)
#   COPYOFF_BENCH_KCOPYD  MiB of the LV that the dm-kcopyd cells move with pvmove (stock
#                          kcopyd and copyoff_kcopyd, locally and over NVMe/TCP at 1 Gb/s;
#                          also random 4 KiB writes to a fresh snapshot origin), 0 for none
#                          (default 256); COPYOFF_BENCH_KCTIME: seconds of a cow run (2)
#   COPYOFF_BENCH_XNS      1 (default): the cross-namespace cells too, in a second guest on
#                          QEMU 10 (descriptor format 2; scripts/qemu10-setup.sh), cells
#                          COPYOFF_BENCH_XNSCELLS (default "2097152x16 8192x8"); 0: none
#   COPYOFF_BENCH_LOOP     MiB of the loop cell (dd, emulation, reflink on XFS), 0 for none
#   COPYOFF_BENCH_OUT      results folder (default results/bench-DATE)
#   COPYOFF_BENCH_NSDIR    where the namespace images live: default a folder on /dev/shm
#                          when that is a tmpfs with room for both (no run then pays for
#                          the host's writeback of an earlier run's data), "disk" for the
#                          guest's work folder, or a folder
# On real hardware, raise TIME and REPS (and the namespace size, COPYOFF_NS_SIZE).
#
# Writes OUT/runs.jsonl (every run), OUT/results.json (medians, ratios,
# targets), OUT/table.md and OUT/chart.png, and copies them to
# tests/bench/latest/ for the README.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
t0=$(date +%s)

scripts/host-setup.sh > /dev/null || { echo "bench: host set-up failed"; exit 1; }
# The chart needs matplotlib (Debian's, for Debian's python3); the table and
# JSON do not.
py=/usr/bin/python3
[ -x $py ] || py=python3
if ! $py -c 'import matplotlib' 2> /dev/null; then
	apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends \
		python3-matplotlib > /dev/null ||
		echo "bench: python3-matplotlib not installed: no chart"
fi

k=${COPYOFF_BENCH_KERNEL:-$(scripts/kernels.sh | tr ' ' '\n' | grep '^6\.1\.' | head -n 1)}
[ -n "$k" ] || { echo "bench: no kernel"; exit 1; }
out=${COPYOFF_BENCH_OUT:-$top/results/bench-$(date +%Y%m%d-%H%M%S)}
w=$top/build/bench-$k
mkdir -p "$out" "$w"

echo "bench: building for $k"
make -s tools
methods=${COPYOFF_BENCH_METHODS:-fio}
if [ -x scripts/fio-engine.sh ] && [[ $methods == *fio* ]]; then
	scripts/fio-engine.sh > "$w/fio-engine.log" 2>&1 ||
		{ tail -n 20 "$w/fio-engine.log"; echo "bench: fio engine not built: no fio rows"; }
fi
rm -rf "$w/src"
scripts/export-tree.sh "$w/src"
make -C "$w/src" KVER="$k" modules > "$w/build.log" 2>&1 ||
	{ tail -n 30 "$w/build.log"; echo "bench: build failed"; exit 1; }
scripts/mkinitramfs.sh "$k" "$w/src" "$w/initrd.cpio" > "$w/initrd.log" 2>&1 ||
	{ cat "$w/initrd.log"; echo "bench: initramfs failed"; exit 1; }

# The namespace images: on the host's tmpfs when it has room for both and a
# GiB to spare, so that the host's writeback of one run's data does not
# slow the next (cache=unsafe never flushes, but dirty pages of a disk file
# are written back while later runs go on).
nssize=${COPYOFF_NS_SIZE:-2G}
nsbytes=$(numfmt --from=iec "$nssize")
nsdir=${COPYOFF_BENCH_NSDIR:-}
if [ -z "$nsdir" ]; then
	nsdir=disk
	if [ "$(stat -f -c %T /dev/shm 2> /dev/null)" = tmpfs ] &&
	   [ "$(df -B1 --output=avail /dev/shm | tail -n 1)" -gt $(( 2 * nsbytes + 1073741824 )) ] &&
	   [ $(( $(sed -n 's/^MemAvailable: *\([0-9]*\) kB/\1/p' /proc/meminfo) * 1024 )) -gt $(( 2 * nsbytes + 6442450944 )) ]; then
		nsdir=/dev/shm/copyoff-bench-$$
	fi
fi
if [ "$nsdir" = disk ]; then
	nswhere="namespace images on the host's disk"
	unset COPYOFF_NS_DIR
else
	nswhere="namespace images on the host's tmpfs"
	export COPYOFF_NS_DIR=$nsdir
	trap 'rmdir "$COPYOFF_NS_DIR" 2> /dev/null || true' EXIT
fi
echo "bench: $nswhere ($nsdir)"

args="time=${COPYOFF_BENCH_TIME:-0.8},reps=${COPYOFF_BENCH_REPS:-3}"
[ -n "${COPYOFF_BENCH_JOBS:-}" ] && args+=",jobs=${COPYOFF_BENCH_JOBS// /:}"
[ -n "${COPYOFF_BENCH_CELLS:-}" ] && args+=",cells=${COPYOFF_BENCH_CELLS// /:}"
if [ -n "${COPYOFF_BENCH_XCELLS:-}" ]; then
	args+=",xcells=${COPYOFF_BENCH_XCELLS// /:}"
elif [ -n "${COPYOFF_BENCH_CELLS:-}" ]; then
	args+=",xcells=none"
fi
[ -n "${COPYOFF_BENCH_XREPS:-}" ] && args+=",xreps=$COPYOFF_BENCH_XREPS"
[ -n "${COPYOFF_BENCH_NETREPS:-}" ] && args+=",netreps=$COPYOFF_BENCH_NETREPS"
[ -n "${COPYOFF_BENCH_PLACES:-}" ] && args+=",places=${COPYOFF_BENCH_PLACES// /:}"
[ -n "${COPYOFF_BENCH_METHODS:-}" ] && args+=",methods=${COPYOFF_BENCH_METHODS// /:}"
[ -n "${COPYOFF_BENCH_CLONE:-}" ] && args+=",clone=$COPYOFF_BENCH_CLONE"
[ -n "${COPYOFF_BENCH_LVCLONE:-}" ] && args+=",lvclone=$COPYOFF_BENCH_LVCLONE"
[ -n "${COPYOFF_BENCH_LOOP:-}" ] && args+=",loop=$COPYOFF_BENCH_LOOP"
[ -n "${COPYOFF_BENCH_KCOPYD:-}" ] && args+=",kcopyd=$COPYOFF_BENCH_KCOPYD"
[ -n "${COPYOFF_BENCH_KCTIME:-}" ] && args+=",kctime=$COPYOFF_BENCH_KCTIME"

echo "bench: running in the guest ($args); progress in $w/vm/console.log"
set +e
COPYOFF_NS_SIZE=$nssize COPYOFF_NS_PREWRITE=1 COPYOFF_TRACE=0 COPYOFF_GUEST_ARGS="copyoff.bench=$args" \
	scripts/vm-run.sh --kver "$k" --initrd "$w/initrd.cpio" --workdir "$w/vm" \
	--mode bench --timeout "${COPYOFF_BENCH_TIMEOUT:-3000}" > /dev/null
rc=$?
set -e
grep '^BENCH ' "$w/vm/console.log" | sed 's/^BENCH //' > "$out/runs.jsonl" || true
grep '^# bench' "$w/vm/console.log" || true

# The cross-namespace cells: QEMU 10's controller has descriptor format 2
# (7.2's does not), and namespace 2 gets namespace 1's limits here.
if [ "${COPYOFF_BENCH_XNS:-1}" != 0 ]; then
	xargs="time=${COPYOFF_BENCH_TIME:-0.8},reps=${COPYOFF_BENCH_REPS:-3},places=xns"
	[ -n "${COPYOFF_BENCH_JOBS:-}" ] && xargs+=",jobs=${COPYOFF_BENCH_JOBS// /:}"
	[ -n "${COPYOFF_BENCH_XNSCELLS:-}" ] && xargs+=",xnscells=${COPYOFF_BENCH_XNSCELLS// /:}"
	[ -n "${COPYOFF_BENCH_NETREPS:-}" ] && xargs+=",netreps=$COPYOFF_BENCH_NETREPS"
	echo "bench: the cross-namespace cells in a QEMU 10 guest ($xargs); progress in $w/vm-xns/console.log"
	set +e
	COPYOFF_NS_SIZE=$nssize COPYOFF_NS_PREWRITE=1 COPYOFF_TRACE=0 COPYOFF_GUEST_ARGS="copyoff.bench=$xargs" \
		COPYOFF_NS2_LIMITS=${COPYOFF_NS2_LIMITS:-mssrl=2048,mcl=32768,msrc=15} \
		scripts/vm-run.sh --kver "$k" --initrd "$w/initrd.cpio" --workdir "$w/vm-xns" \
		--mode bench --qemu 10 --timeout "${COPYOFF_BENCH_TIMEOUT:-3000}" > /dev/null
	xrc=$?
	set -e
	grep '^BENCH ' "$w/vm-xns/console.log" | sed 's/^BENCH //' >> "$out/runs.jsonl" || true
	grep '^# bench' "$w/vm-xns/console.log" || true
	[ "$xrc" = 0 ] || { echo "bench: the cross-namespace guest reported failures (status $xrc)"; rc=$xrc; }
fi
if [ ! -s "$out/runs.jsonl" ]; then
	tail -n 30 "$w/vm/console.log"
	echo "bench: no results (guest status $rc)"
	exit 1
fi

machine="$(nproc) CPUs ($(sed -n 's/^model name[ \t]*: //p' /proc/cpuinfo | head -n 1)), $(free -g | awk '/^Mem:/ { print $2 }') GiB, QEMU TCG guest with 2 vCPUs, kernel $k, $nswhere"
$py scripts/bench-report.py "$out" --machine "$machine" \
	--date "$(date -u '+%Y-%m-%d %H:%M UTC')" --seconds $(( $(date +%s) - t0 ))
mkdir -p tests/bench/latest
cp "$out/results.json" "$out/table.md" tests/bench/latest/
[ -f "$out/chart.png" ] && cp "$out/chart.png" tests/bench/latest/
echo "bench: results in $out (and tests/bench/latest/), $(( $(date +%s) - t0 ))s"
[ "$rc" = 0 ] || { echo "bench: the guest reported failures (status $rc)"; exit 1; }
