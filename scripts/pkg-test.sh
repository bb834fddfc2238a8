#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pkg-test.sh KVER...
#
# The Debian packages and DKMS, end to end on this machine (as root):
#   1. dpkg-buildpackage builds copyoff-dkms and copyoff-utils from an export
#      of the tree; their contents are checked;
#   2. both are installed with apt: copyoff-dkms's maintainer scripts "dkms
#      add", build and install the modules for every installed kernel; for
#      each KVER the modules must be in /lib/modules/KVER/updates/dkms
#      with the package version, known to modules.dep, and signed with DKMS's
#      MOK key when it has one; copyoff-utils's files must work (the tool, the
#      man pages, <linux/copyoff.h> with the packaged example program);
#   3. a kernel installed later: the modules of the first KVER are removed
#      from DKMS and the kernel packages' hook (/etc/kernel/postinst.d/dkms)
#      must build and install them again;
#   4. for each KVER, a guest initramfs with the modules from
#      /lib/modules/KVER/updates/dkms (build/KVER/dkms-initrd.cpio), which
#      make check boots to run tests/pkg;
#   5. both packages are purged and nothing of them may be left: no DKMS
#      registration, no module, no file.
# Prints TAP lines.  Whatever happens, the machine is left without the
# packages.  One run at a time per machine (a lock under /run/lock).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")
name=copyoff
pkgs="copyoff-dkms copyoff-utils"
stage=$(mktemp -d "${TMPDIR:-/tmp}/copyoff-pkg.XXXXXX")
export DEBIAN_FRONTEND=noninteractive

TAP_PREFIX="host: pkg: "
. "$top/scripts/tap.sh"

apt_q() { # apt_q ARGS...: apt-get, waiting for the dpkg lock
	apt-get -y -q -o DPkg::Lock::Timeout=300 "$@"
}

# Remove every trace of an earlier run or of a manual "dkms add" of this
# version (a tree in /usr/src that no package owns).
clean_machine() {
	local p
	for p in $pkgs; do
		dpkg-query -W -f '${Status}' "$p" 2> /dev/null | grep -qv 'not-installed' &&
			apt_q purge "$p"
	done
	[ -n "$(dkms status "$name/$ver" 2> /dev/null)" ] && dkms remove "$name/$ver" --all
	dpkg -S "/usr/src/$name-$ver" > /dev/null 2>&1 || rm -rf "/usr/src/$name-$ver"
	return 0
}

# No guest may boot an image of an earlier run.
for k in "$@"; do
	rm -f "$top/build/$k/dkms-initrd.cpio"
done

exec 9> /run/lock/copyoff-pkg-test.lock
flock -w 1200 9 || { tap 1 "another pkg-test.sh run holds /run/lock/copyoff-pkg-test.lock"; exit 1; }
trap 'clean_machine > "$stage/trap.log" 2>&1; rm -rf "$stage"' EXIT
clean_machine > "$stage/clean.log" 2>&1

# --- 1. build -------------------------------------------------------------------
"$top/scripts/export-tree.sh" "$stage/$name-$ver"
(cd "$stage/$name-$ver" && DEB_BUILD_OPTIONS=noautodbgsym dpkg-buildpackage -b -us -uc) \
	> "$stage/build.log" 2>&1
dkms_deb=$(ls "$stage"/copyoff-dkms_"$ver"_all.deb 2> /dev/null)
utils_deb=$(ls "$stage"/copyoff-utils_"$ver"_*.deb 2> /dev/null)
[ -n "$dkms_deb" ] && [ -n "$utils_deb" ]
tap $? "dpkg-buildpackage builds copyoff-dkms and copyoff-utils $ver" "$stage/build.log"
if [ -z "$dkms_deb" ] || [ -z "$utils_deb" ]; then
	exit 1
fi

dpkg-deb -c "$dkms_deb" | awk '{ print $6 }' > "$stage/dkms.list"
dpkg-deb -c "$utils_deb" | awk '{ print $6 }' > "$stage/utils.list"
problems=
[ "$(dpkg-deb -f "$dkms_deb" Architecture)" = all ] || problems="$problems not-arch-all"
dpkg-deb -f "$dkms_deb" Depends | grep -q '\bdkms\b' || problems="$problems no-dkms-dependency"
for f in dkms.conf Makefile Kbuild copyoff_core/main.c scripts/conftest.sh \
	scripts/btf-layout.sh scripts/btf.py scripts/btf-protos include/uapi/linux/copyoff.h; do
	grep -qx "./usr/src/$name-$ver/$f" "$stage/dkms.list" || problems="$problems no-$f"
done
grep -E '\.(o|ko|cmd)$|/generated/|/tests/|/tools/' "$stage/dkms.list" > "$stage/extra.list" &&
	problems="$problems build-products-or-tests-shipped"
[ -z "$problems" ]
tap $? "copyoff-dkms: architecture all, depends on dkms, module sources only in /usr/src/$name-$ver${problems:+:$problems}" \
	"$stage/extra.list"
problems=
for f in usr/sbin/copyoff usr/include/linux/copyoff.h usr/share/man/man8/copyoff.8.gz \
	usr/share/man/man4/copyoff.4.gz lib/udev/rules.d/60-copyoff.rules \
	etc/modprobe.d/copyoff.conf etc/modules-load.d/copyoff.conf; do
	grep -qx "./$f" "$stage/utils.list" || problems="$problems no-/$f"
done
[ -z "$problems" ]
tap $? "copyoff-utils: tool, header, man pages, udev rule, modprobe.d and modules-load.d files${problems:+:$problems}" \
	"$stage/utils.list"

# --- 2. install -----------------------------------------------------------------
t=$(date +%s)
apt_q install "$dkms_deb" "$utils_deb" > "$stage/install.log" 2>&1
rc=$?
for p in $pkgs; do
	[ "$(dpkg-query -W -f '${Status}' "$p" 2> /dev/null)" = "install ok installed" ] || rc=1
done
tap $rc "apt installs both packages ($(( $(date +%s) - t ))s, DKMS builds included)" "$stage/install.log"

# The key DKMS signs with, when it has one.
signer=
if [ -r /var/lib/dkms/mok.pub ]; then
	signer=$(openssl x509 -inform DER -in /var/lib/dkms/mok.pub -noout -subject -nameopt multiline 2> /dev/null |
		sed -n 's/^ *commonName *= *//p')
fi
check_installed() { # check_installed KVER -> problems on stdout
	local k=$1 m f
	dkms status "$name/$ver" -k "$k" 2> /dev/null | grep -q ': installed' || echo -n " dkms-status"
	for m in copyoff_core copyoff_cfr copyoff_nvme copyoff_dm copyoff_kcopyd copyoff_dmstock copyoff_nvmet; do
		f=$(ls "/lib/modules/$k/updates/dkms/$m.ko"* 2> /dev/null | head -n 1)
		if [ -z "$f" ]; then
			echo -n " no-$m"
			continue
		fi
		[ "$(modinfo -F version "$f")" = "$ver" ] || echo -n " $m-version"
		grep -q "^updates/dkms/$m\.ko[.a-z]*:" "/lib/modules/$k/modules.dep" || echo -n " $m-not-in-modules.dep"
		if [ -n "$signer" ] && [ "$(modinfo -F signer "$f")" != "$signer" ]; then
			echo -n " $m-not-signed-by-$signer"
		fi
	done
}
for k in "$@"; do
	problems=$(check_installed "$k")
	[ -z "$problems" ]
	tap $? "$k: DKMS built and installed the modules (copyoff_core, copyoff_cfr, copyoff_nvme, copyoff_dm, copyoff_kcopyd, copyoff_dmstock, copyoff_nvmet) ($ver, in modules.dep${signer:+, signed by \"$signer\"})${problems:+:$problems}" \
		"$stage/install.log"
done
for d in /lib/modules/*/; do
	k=$(basename "$d")
	case " $* " in *" $k "*) continue ;; esac
	echo "# host: pkg: also installed kernel $k: $(dkms status "$name/$ver" -k "$k" 2> /dev/null | sed 's/.*: //')"
done

problems=
[ "$(copyoff version 2>&1)" = "copyoff $ver" ] || problems="$problems tool-version"
man -w 8 copyoff > /dev/null 2>&1 || problems="$problems no-copyoff.8"
man -w 4 copyoff > /dev/null 2>&1 || problems="$problems no-copyoff.4"
gcc -Wall -Wextra -Werror -o "$stage/sample" /usr/share/doc/copyoff-utils/examples/copyoff-sample.c \
	> "$stage/sample.log" 2>&1 || problems="$problems example-does-not-build-with-installed-header"
[ -z "$problems" ]
tap $? "copyoff-utils works: copyoff version, man copyoff.4 and copyoff.8, the example builds against /usr/include/linux/copyoff.h${problems:+:$problems}" \
	"$stage/sample.log"

# --- 3. a kernel installed later ------------------------------------------------
k=$1
dkms remove "$name/$ver" -k "$k" > "$stage/hook.log" 2>&1
gone=$(ls /lib/modules/"$k"/updates/dkms/copyoff_* 2> /dev/null)
t=$(date +%s)
/etc/kernel/postinst.d/dkms "$k" >> "$stage/hook.log" 2>&1
problems=$(check_installed "$k")
[ -z "$gone" ] && [ -z "$problems" ]
tap $? "$k: the kernel install hook (/etc/kernel/postinst.d/dkms) builds and installs them again ($(( $(date +%s) - t ))s)${problems:+:$problems}" \
	"$stage/hook.log"

# --- 4. guest initramfs from the DKMS install location ---------------------------
for k in "$@"; do
	mkdir -p "$top/build/$k"
	"$top/scripts/mkinitramfs.sh" "$k" "/lib/modules/$k/updates/dkms" "$top/build/$k/dkms-initrd.cpio" \
		> "$stage/initrd.log" 2>&1
	tap $? "$k: guest initramfs with the modules from /lib/modules/$k/updates/dkms" "$stage/initrd.log"
done

# --- 5. purge -------------------------------------------------------------------
apt_q purge $pkgs > "$stage/purge.log" 2>&1
rc=$?
left=
for p in $pkgs; do
	dpkg-query -W -f '${Status}\n' "$p" 2> /dev/null | grep -qv 'not-installed' && left="$left $p"
done
[ -n "$(dkms status "$name" 2> /dev/null)" ] && left="$left dkms-registration"
[ -e "/usr/src/$name-$ver" ] && left="$left /usr/src/$name-$ver"
[ -e "/var/lib/dkms/$name" ] && left="$left /var/lib/dkms/$name"
for f in /usr/sbin/copyoff /usr/include/linux/copyoff.h /lib/udev/rules.d/60-copyoff.rules \
	/etc/modprobe.d/copyoff.conf /etc/modules-load.d/copyoff.conf \
	/usr/share/man/man4/copyoff.4.gz /usr/share/man/man8/copyoff.8.gz; do
	[ -e "$f" ] && left="$left $f"
done
left="$left$(find /lib/modules/*/updates -name 'copyoff_*' 2> /dev/null | tr '\n' ' ')"
grep -l '^updates/dkms/copyoff_' /lib/modules/*/modules.dep > "$stage/dep.left" 2> /dev/null &&
	left="$left modules.dep:$(tr '\n' ' ' < "$stage/dep.left")"
[ $rc = 0 ] && [ -z "${left// /}" ]
tap $? "apt purge removes both packages and leaves nothing behind${left:+:$left}" "$stage/purge.log"

tap_status
