#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: set up the host if needed, build copyoff for a Debian kernel
# (COPYOFF_DEMO_KERNEL, default the newest 6.12), boot it in QEMU with the rig's
# devices and run tests/demo in the guest.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

echo "demo: host set-up (first run installs packages; later runs only check)"
scripts/host-setup.sh
kernels=$(scripts/kernels.sh)
k=${COPYOFF_DEMO_KERNEL:-$(echo $kernels | tr ' ' '\n' | grep '^6\.12' | tail -n 1)}
k=${k:-$(echo $kernels | awk '{ print $1 }')}
echo "demo: building for $k"
make -s tools
src=$(scripts/build-kernel.sh "$k")
scripts/mkinitramfs.sh "$k" "$src" "build/$k/initrd.cpio"
echo "demo: booting $k in QEMU (${COPYOFF_ACCEL:-tcg})"
scripts/vm-run.sh --kver "$k" --initrd "build/$k/initrd.cpio" \
	--workdir "build/$k/demo" --mode demo --timeout 600
