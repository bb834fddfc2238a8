#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# install-modules.sh TOP      (run by "make install-modules")
#
# Install the modules built in TOP for KVER (from the environment: KDIR, KVER,
# DESTDIR, SIGN, MOK_KEY, MOK_CERT, MAKE) into
# $DESTDIR/lib/modules/$KVER/extra/, as the kernel's modules_install does,
# then sign and compress them the way DKMS does:
#   - signed with the MOK key DKMS uses (MOK_KEY, MOK_CERT; default
#     /var/lib/dkms/mok.key and mok.pub) when both exist, SIGN is not 0 and
#     the kernel's scripts/sign-file is there.  Otherwise the modules are
#     installed unsigned, with a note: signing is never a reason to fail.
#     (The kernel's own modules_install signing needs the distribution's
#     private key, which no distribution ships; it is turned off.)
#   - compressed like the kernel's own modules (.ko.xz, .ko.zst, .ko.gz).
# Without DESTDIR, depmod makes them loadable by name.
set -euo pipefail

top=${1:?usage: install-modules.sh TOP}
: "${KDIR:?}" "${KVER:?}"
DESTDIR=${DESTDIR:-}
SIGN=${SIGN:-1}
MOK_KEY=${MOK_KEY:-/var/lib/dkms/mok.key}
MOK_CERT=${MOK_CERT:-/var/lib/dkms/mok.pub}
MAKE=${MAKE:-make}
dst=$DESTDIR/lib/modules/$KVER/extra

# Plain copies: no signing with a key that is not there, no compression yet.
$MAKE -C "$KDIR" M="$top" INSTALL_MOD_PATH="$DESTDIR" INSTALL_MOD_DIR=extra \
	CONFIG_MODULE_SIG_ALL= CONFIG_MODULE_COMPRESS_ALL= \
	CONFIG_MODULE_COMPRESS_GZIP= CONFIG_MODULE_COMPRESS_XZ= \
	CONFIG_MODULE_COMPRESS_ZSTD= modules_install

mods=$(find "$dst" -path "$dst/copyoff_*/copyoff_*.ko" -type f | sort)
[ -n "$mods" ] || { echo "install-modules: nothing installed in $dst" >&2; exit 1; }

# Signing.
sign_file=$KDIR/scripts/sign-file
hash=$(sed -n 's/^CONFIG_MODULE_SIG_HASH="\(.*\)"$/\1/p' "$KDIR/include/config/auto.conf" 2>/dev/null)
why=
if [ "$SIGN" = 0 ]; then
	why="SIGN=0"
elif [ ! -r "$MOK_KEY" ] || [ ! -r "$MOK_CERT" ]; then
	why="no key: $MOK_KEY and $MOK_CERT (DKMS creates them on its first build)"
elif [ ! -x "$sign_file" ]; then
	why="no $sign_file"
fi
for m in $mods; do
	if [ -n "$why" ]; then
		break
	fi
	if "$sign_file" "${hash:-sha256}" "$MOK_KEY" "$MOK_CERT" "$m"; then
		echo "  SIGN    $m"
	else
		why="sign-file failed on $m"
		echo "install-modules: WARNING: $why: the modules stay unsigned" >&2
	fi
done
if [ -n "$why" ]; then
	echo "install-modules: modules not signed ($why); with Secure Boot they will not load (README: Secure Boot)"
fi

# Compression, as the kernel's own modules are.
z=
if [ -f "/lib/modules/$KVER/modules.dep" ]; then
	for s in xz zst gz; do
		grep -q "\\.ko\\.$s:" "/lib/modules/$KVER/modules.dep" && z=$s
	done
fi
for m in $mods; do
	case $z in
	xz) xz --check=crc32 --lzma2=dict=1MiB -f "$m" ;;
	zst) zstd -q --rm -f "$m" ;;
	gz) gzip -n -f "$m" ;;
	*) continue ;;
	esac
	echo "  ${z^^}      $m.$z"
done

if [ -z "$DESTDIR" ]; then
	echo "  DEPMOD  $KVER"
	depmod -a "$KVER"
fi
