#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# debug-kernel.sh
#
# Build (once) the debug kernel of "make check-debug": Debian's
# linux-source-6.1 with KASAN, lockdep, kmemleak, atomic-sleep checks and
# UBSAN, from "make tinyconfig" plus scripts/debug-kernel.config, in a cache
# outside the work tree (COPYOFF_DEBUG_CACHE, default
# /var/cache/copyoff/debug-kernel):
#   CACHE/linux-source-6.1   the built tree (KDIR for out-of-tree modules)
#   CACHE/bzImage            the kernel image
#   CACHE/root/lib/modules/KVER   its modules (make modules_install)
#   CACHE/env                KDIR=, KVER=, IMAGE=, MODROOT= for the caller
#   CACHE/stamp              source package version and fragment hash
# Nothing is installed into /boot or /lib/modules: scripts/kernels.sh must
# not pick this kernel up for "make check".  COPYOFF_DEBUG_CONFIG_ONLY=1 stops
# after the configuration (and prints the .config's path).  A second run with the same
# source package and fragment does nothing.  Prints CACHE/env's path.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${COPYOFF_DEBUG_CACHE:-/var/cache/copyoff/debug-kernel}
fragment=$top/scripts/debug-kernel.config
tree=$cache/linux-source-6.1
log=$cache/build.log

# The host set-up of "make check" may be holding the dpkg lock: wait for it.
while [ ! -e /var/lib/copyoff-host-setup.v3 ]; do
	echo "debug-kernel: waiting for the host set-up (/var/lib/copyoff-host-setup.v3)" >&2
	sleep 30
done
pkgs="linux-source-6.1 libssl-dev bc flex bison libelf-dev dwarves rsync"
missing=$(for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q 'install ok installed' || echo "$p"
done)
if [ -n "$missing" ]; then
	echo "debug-kernel: apt-get install" $missing >&2
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y $missing > /dev/null
fi

srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
key="linux-source-6.1 $srcver fragment $(md5sum < "$fragment" | cut -d' ' -f1)"
if [ -f "$cache/stamp" ] && [ "$(cat "$cache/stamp")" = "$key" ] && [ -f "$cache/env" ]; then
	echo "debug-kernel: cached ($key)" >&2
	echo "$cache/env"
	exit 0
fi

t0=$(date +%s)
mkdir -p "$cache"
# A tree of the same source package built before with another fragment
# is configured again and rebuilt incrementally: kbuild rebuilds what the
# changed options touch (a few modules, when modules were added).
if [ -f "$tree/Makefile" ] && [ -f "$cache/built-from" ] &&
   [ "$(cat "$cache/built-from")" = "linux-source-6.1 $srcver" ]; then
	echo "debug-kernel: reconfiguring the tree of linux-source-6.1 $srcver" >&2
	rm -rf "$cache/root" "$cache/stamp" "$cache/env" "$cache/bzImage"
else
	rm -rf "$tree" "$cache/root" "$cache/stamp" "$cache/env" "$cache/bzImage" \
		"$cache/built-from"
	echo "debug-kernel: unpacking linux-source-6.1 $srcver into $cache" >&2
	tar -xJf /usr/src/linux-source-6.1.tar.xz -C "$cache"
fi

# The configuration: tinyconfig, the fragment with scripts/config, then
# olddefconfig (twice: some options are only offered once others are on).
cd "$tree"
make -s tinyconfig > "$log" 2>&1
args=()
while IFS= read -r line; do
	case "$line" in '' | '#'*) continue ;; esac
	name=${line%%=*} val=${line#*=}
	case "$val" in
	y) args+=(--enable "$name") ;;
	m) args+=(--module "$name") ;;
	n) args+=(--disable "$name") ;;
	\"*) val=${val#\"}; args+=(--set-str "$name" "${val%\"}") ;;
	*) args+=(--set-val "$name" "$val") ;;
	esac
done < "$fragment"
scripts/config --file .config "${args[@]}"
make -s olddefconfig >> "$log" 2>&1
scripts/config --file .config "${args[@]}"
make -s olddefconfig >> "$log" 2>&1

# Every option of the fragment must have survived.
bad=
while IFS= read -r line; do
	case "$line" in '' | '#'*) continue ;; esac
	name=${line%%=*} val=${line#*=}
	if [ "$val" = n ]; then
		grep -q "^CONFIG_$name=" .config && bad="$bad $line"
	else
		grep -qxF "CONFIG_$name=$val" .config || bad="$bad $line"
	fi
done < "$fragment"
if [ -n "$bad" ]; then
	echo "debug-kernel: options not set after olddefconfig:$bad" >&2
	exit 1
fi

if [ "${COPYOFF_DEBUG_CONFIG_ONLY:-0}" = 1 ]; then
	echo "$tree/.config"
	exit 0
fi
echo "debug-kernel: building (log: $log)" >&2
tb=$(date +%s)
nice -n 10 make -j2 bzImage modules >> "$log" 2>&1 || {
	tail -n 40 "$log" >&2
	echo "debug-kernel: kernel build failed" >&2
	exit 1
}
kver=$(cat include/config/kernel.release)
make -s modules_install INSTALL_MOD_PATH="$cache/root" >> "$log" 2>&1
cp arch/x86/boot/bzImage "$cache/bzImage"
cat > "$cache/env" <<EOT
KDIR=$tree
KVER=$kver
IMAGE=$cache/bzImage
MODROOT=$cache/root
EOT
echo "$key" > "$cache/stamp"
echo "linux-source-6.1 $srcver" > "$cache/built-from"
echo "debug-kernel: $kver built in $(( $(date +%s) - tb ))s ($(( $(date +%s) - t0 ))s with unpacking and configuration)" >&2
echo "$cache/env"
