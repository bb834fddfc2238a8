#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Print the kernel releases copyoff is built and tested for: the newest
# installed Debian 6.1 and 6.12 kernels with their headers (or
# $COPYOFF_KERNELS, a space-separated list).
set -euo pipefail
if [ -n "${COPYOFF_KERNELS:-}" ]; then
	echo "$COPYOFF_KERNELS"
	exit 0
fi
for series in 6.1 6.12; do
	k=$(ls /boot/ 2>/dev/null | sed -n "s/^vmlinuz-\(${series//./\\.}\.[0-9].*\)$/\1/p" |
		while read -r r; do
			[ -f "/lib/modules/$r/build/Makefile" ] && echo "$r"
		done | sort -V | tail -n 1)
	[ -n "$k" ] && printf '%s ' "$k"
done
echo
