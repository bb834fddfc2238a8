#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fio-engine.sh
#
# Build tools/fio/copyoff-fio.so, the copyoff fio engine
# (ioengine=external:.../copyoff-fio.so), against the source of the fio
# package installed on this host; an engine only works with the fio version
# whose headers it was built with.  As root on Debian 12:
#   - the installed version: dpkg-query -W -f '${Version}' fio;
#   - its source, with "apt-get source" (download only) and dpkg-source, into
#     $COPYOFF_FIO_SRC/fio-VERSION (default build/fio-src), dpkg-dev
#     installed first when missing; a deb-src line for the configured Debian
#     mirror is added only when apt knows no source for that version;
#   - fio's ./configure there, for its config-host.h (nothing of fio is
#     built);
#   - make -C tools/fio FIO_SRC=..., then a check that every fio symbol the
#     engine needs is exported by the installed /usr/bin/fio.
# Idempotent: a configured source tree is kept and reused.  Prints the path of
# the engine.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${COPYOFF_FIO_SRC:-$top/build/fio-src}
apt=(apt-get -o DPkg::Lock::Timeout=900)

die() {
	echo "fio-engine: $*" >&2
	exit 1
}

ver=$(dpkg-query -W -f '${Version}' fio 2> /dev/null || true)
[ -n "$ver" ] || die "fio is not installed (apt-get install fio)"
fio_bin=$(command -v fio) || die "no fio in PATH"
src=$cache/fio-${ver//:/_}
stamp=$src/.copyoff-configured

# The Debian mirror of this host's apt configuration, as host-setup.sh finds it.
. "$(dirname "$0")/apt-mirror.sh"

have_source() {
	apt-cache showsrc fio 2> /dev/null | grep -qx "Version: $ver"
}

if [ ! -f "$stamp" ]; then
	[ "$(id -u)" = 0 ] || die "run as root (apt-get), or set COPYOFF_FIO_SRC to a configured fio $ver tree"
	if ! dpkg-query -W -f '${Status}' dpkg-dev 2> /dev/null | grep -q 'install ok installed'; then
		echo "fio-engine: installing dpkg-dev"
		"${apt[@]}" install -y -q dpkg-dev
	fi
	if ! have_source; then
		"${apt[@]}" update -q
	fi
	if ! have_source; then
		mirror=$(debian_mirror | head -n 1)
		[ -n "$mirror" ] || die "no bookworm source found in the apt configuration"
		list=/etc/apt/sources.list.d/copyoff-fio-src.list
		echo "fio-engine: adding deb-src lines for the configured mirror to $list"
		printf 'deb-src %s bookworm main\ndeb-src %s bookworm-backports main\n' \
			"$mirror" "$mirror" > "$list"
		"${apt[@]}" update -q
		have_source || die "apt knows no source package fio $ver"
	fi

	mkdir -p "$cache"
	work=$(mktemp -d "$cache/.fetch.XXXXXX")
	trap 'rm -rf "$work"' EXIT
	echo "fio-engine: fetching the source of fio $ver"
	# The output (as root apt-get warns that _apt cannot write here, and
	# gpgv that it has no Debian keyring) goes to a log shown on failure.
	log=$cache/fetch.log
	(cd "$work" && "${apt[@]}" source -q --download-only "fio=$ver") > "$log" 2>&1 || {
		cat "$log" >&2
		die "apt-get source fio=$ver failed"
	}
	dsc=$(ls "$work"/fio_*.dsc 2> /dev/null | head -n 1)
	[ -n "$dsc" ] || die "apt-get source fio=$ver fetched no .dsc"
	dpkg-source -x "$dsc" "$work/src" >> "$log" 2>&1 || {
		cat "$log" >&2
		die "dpkg-source -x $(basename "$dsc") failed"
	}
	echo "fio-engine: configuring fio $ver (for config-host.h)"
	(cd "$work/src" && ./configure --disable-native > configure.log 2>&1) || {
		cat "$work/src/configure.log" >&2
		die "fio's configure failed"
	}
	[ -f "$work/src/config-host.h" ] || die "fio's configure wrote no config-host.h"
	touch "$work/src/.copyoff-configured"
	rm -rf "$src"
	mv "$work/src" "$src"
	rm -rf "$work"
	trap - EXIT
fi

make -C "$top/tools/fio" FIO_SRC="$src" > /dev/null
so=$top/tools/fio/copyoff-fio.so

# Every symbol the engine takes from fio must be one the fio binary exports.
fio_syms=$(nm -D --defined-only "$fio_bin" | awk '{ print $3 }')
for s in $(nm -D --undefined-only "$so" | awk '$1 == "U" && $2 !~ /@/ { print $2 }'); do
	grep -qx "$s" <<< "$fio_syms" || die "$fio_bin does not export $s, which the engine uses"
done
echo "$so"
