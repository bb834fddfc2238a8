#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-kernel.sh KVER [W=1] [C=2] ...
#
# Build the modules for KVER in a private copy of the tree (build/KVER/src),
# so that several kernels can be built side by side.  Extra arguments go to
# make.  The log is build/KVER/build.log; prints the tree path on success.
set -euo pipefail

kver=${1:?usage: build-kernel.sh KVER [make args]}
shift
top=$(cd "$(dirname "$0")/.." && pwd)
dst=$top/build/$kver/src

# A fresh copy of the sources, without build products of any kernel.
rm -rf "$dst"
"$top/scripts/export-tree.sh" "$dst"
make -C "$dst" KVER="$kver" "$@" modules > "$top/build/$kver/build.log" 2>&1 || {
	cat "$top/build/$kver/build.log" >&2
	echo "build-kernel: build for $kver failed" >&2
	exit 1
}
# The test-only modules (tests/kmod), against the symbols just built.
make -C "/lib/modules/$kver/build" M="$dst/tests/kmod" \
	KBUILD_EXTRA_SYMBOLS="$dst/Module.symvers" "$@" modules \
	>> "$top/build/$kver/build.log" 2>&1 || {
	cat "$top/build/$kver/build.log" >&2
	echo "build-kernel: test module build for $kver failed" >&2
	exit 1
}
echo "$dst"
