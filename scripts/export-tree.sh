#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# export-tree.sh DEST
#
# Copy the project's sources, without build products of any kernel, to DEST:
# what git tracks or would track, or, outside a git checkout, the tree less
# its build products.
set -euo pipefail
dst=${1:?usage: export-tree.sh DEST}
top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$dst"
if git -C "$top" rev-parse --is-inside-work-tree > /dev/null 2>&1; then
	(cd "$top" && git ls-files -co --exclude-standard -z |
		xargs -0 tar -c --no-recursion) | tar -x -C "$dst"
else
	(cd "$top" && tar -c --exclude=./build --exclude=./.git --exclude=./results \
		--exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
		--exclude=./include/generated .) | tar -x -C "$dst"
fi
