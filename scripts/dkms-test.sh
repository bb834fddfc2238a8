#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms-test.sh KVER...
#
# DKMS end to end on this machine: export the tree as a source package,
# "dkms add" it, "dkms build" and "dkms install" for each KVER, check that all
# four modules landed with the package version, then remove it again.
# Prints TAP lines.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")
name=copyoff
stage=$(mktemp -d "${TMPDIR:-/tmp}/copyoff-dkms.XXXXXX")
trap 'rm -rf "$stage"' EXIT
n=0 bad=0

tap() { # tap OK TEXT [LOG]
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok - host: dkms: $2"
	else
		bad=$((bad + 1))
		echo "not ok - host: dkms: $2"
		[ -n "${3:-}" ] && sed 's/^/#   /' "$3" | tail -n 30
	fi
}

dkms remove "$name/$ver" --all > /dev/null 2>&1
rm -rf "/usr/src/$name-$ver"
"$top/scripts/export-tree.sh" "$stage/$name-$ver"
dkms add "$stage/$name-$ver" > "$stage/add.log" 2>&1
tap $? "add $name/$ver" "$stage/add.log"

for k in "$@"; do
	dkms build "$name/$ver" -k "$k" > "$stage/build.log" 2>&1
	tap $? "build for $k" "$stage/build.log"
	dkms install "$name/$ver" -k "$k" --force > "$stage/install.log" 2>&1
	tap $? "install for $k" "$stage/install.log"
	missing=
	for m in copyoff_core copyoff_nvme copyoff_dm copyoff_nvmet; do
		f=$(find "/lib/modules/$k/updates" -name "$m.ko*" 2>/dev/null | head -n 1)
		if [ -z "$f" ] || [ "$(modinfo -F version "$f")" != "$ver" ]; then
			missing="$missing $m"
		fi
	done
	[ -z "$missing" ]
	tap $? "all four modules installed for $k with version $ver${missing:+ (missing:$missing)}"
	dkms status "$name/$ver" -k "$k" 2>/dev/null | grep -q installed
	tap $? "dkms status says installed for $k"
done

dkms remove "$name/$ver" --all > "$stage/remove.log" 2>&1
tap $? "remove" "$stage/remove.log"
left=$(find /lib/modules/*/updates -name 'copyoff_*' 2>/dev/null)
[ -z "$left" ]
tap $? "no module left behind after remove"
[ "$bad" = 0 ]
