#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# install-test.sh KVER...: "make install" and "make uninstall" into a staging
# directory, in the tree built for each KVER (build/KVER/src, from
# scripts/build-kernel.sh).  Prints TAP lines.
#   - make install DESTDIR=stage PREFIX=/usr, with a MOK key made for the
#     test: every file where it belongs, the modules signed with that key
#     (and compressed as the kernel's own are);
#   - make uninstall with the same variables: no file left in the stage;
#   - for the first KVER, signing unavailable (no key): the install still
#     succeeds, says the modules are unsigned, and they are.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/copyoff-install.XXXXXX")
trap 'rm -rf "$work"' EXIT

. "$top/scripts/tap.sh"

cn="copyoff install-test key"
openssl req -new -x509 -nodes -days 1 -subj "/CN=$cn" -newkey rsa:2048 \
	-keyout "$work/mok.key" -outform DER -out "$work/mok.der" > "$work/openssl.log" 2>&1 ||
	tap 1 "install: a test signing key (openssl)" "$work/openssl.log"

first=1
for k in "$@"; do
	src=$top/build/$k/src
	stage=$work/stage-$k
	vars=(DESTDIR="$stage" PREFIX=/usr KVER="$k")
	make -C "$src" -s install "${vars[@]}" MOK_KEY="$work/mok.key" MOK_CERT="$work/mok.der" \
		> "$work/install.log" 2>&1
	rc=$?
	missing=
	for f in usr/sbin/copyoff usr/include/linux/copyoff.h usr/share/man/man8/copyoff.8 \
		usr/share/man/man4/copyoff.4 usr/lib/udev/rules.d/60-copyoff.rules \
		etc/modprobe.d/copyoff.conf etc/modules-load.d/copyoff.conf; do
		[ -f "$stage/$f" ] || missing="$missing /$f"
	done
	[ -x "$stage/usr/sbin/copyoff" ] || missing="$missing (copyoff not executable)"
	cmp -s "$stage/usr/include/linux/copyoff.h" "$top/include/uapi/linux/copyoff.h" ||
		missing="$missing (header differs)"
	unsigned=
	for m in copyoff_core copyoff_cfr copyoff_nvme copyoff_dm copyoff_kcopyd copyoff_dmstock copyoff_nvmet; do
		f=$(ls "$stage/lib/modules/$k/extra/"*/"$m.ko"* 2>/dev/null | head -n 1)
		if [ -z "$f" ]; then
			missing="$missing $m"
			continue
		fi
		# Compressed as the kernel's own modules are (Debian 6.12: xz).
		if grep -q '\.ko\.xz:' "/lib/modules/$k/modules.dep"; then
			[ "${f##*.}" = xz ] || missing="$missing ($m not xz)"
		fi
		[ "$(modinfo -F signer "$f")" = "$cn" ] || unsigned="$unsigned $m"
	done
	[ $rc = 0 ] && [ -z "$missing" ]
	tap $? "$k: make install DESTDIR PREFIX=/usr puts every file in place${missing:+: missing$missing}" \
		"$work/install.log"
	[ $rc = 0 ] && [ -z "$unsigned" ]
	tap $? "$k: make install signs the modules with the configured MOK key${unsigned:+ (unsigned:$unsigned)}" \
		"$work/install.log"

	make -C "$src" -s uninstall "${vars[@]}" > "$work/uninstall.log" 2>&1
	rc=$?
	left=$(find "$stage" ! -type d)
	[ $rc = 0 ] && [ -z "$left" ]
	tap $? "$k: make uninstall with the same DESTDIR and PREFIX leaves no file${left:+: $left}" \
		"$work/uninstall.log"

	if [ $first = 1 ]; then
		first=0
		stage=$work/nokey-$k
		make -C "$src" -s install-modules DESTDIR="$stage" KVER="$k" \
			MOK_KEY="$work/none.key" MOK_CERT="$work/none.der" > "$work/nokey.log" 2>&1
		rc=$?
		f=$(ls "$stage/lib/modules/$k/extra/copyoff_core/copyoff_core.ko"* 2>/dev/null | head -n 1)
		[ $rc = 0 ] && [ -n "$f" ] && [ -z "$(modinfo -F signer "$f")" ] &&
			grep -q 'modules not signed (no key' "$work/nokey.log"
		tap $? "$k: without a signing key make install still installs, unsigned, and says so" \
			"$work/nokey.log"
	fi
done
tap_status
