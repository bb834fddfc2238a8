#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# host-checks.sh: checks of the installable files that need no kernel build
# (run by make check; prints TAP lines "ok - host: ..." / "not ok - host: ...").
#   - the man pages format without a single warning (man --warnings);
#   - every module parameter is documented in the modprobe.d file and in
#     copyoff(4);
#   - the udev rule gives /dev/copyoff mode 0660, group disk;
#   - the guest runner's kernel-report filter (tests/common/rc,
#     _kernel_reports) lets through only what tests/known-reports explains;
#   - the BTF layouts and prototypes of one installed kernel are read, and a
#     changed prototype stops that module's build.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
. "$top/scripts/tap.sh"

# Man pages: man --warnings (groff's default "mac" warnings), and every
# warning category groff has (-ww); warnings go to stderr.
for p in man/copyoff.8 man/copyoff.4; do
	w=$(MANWIDTH=80 man --warnings -E UTF-8 -l "$p" 2>&1 > /dev/null)
	rc=$?
	w2=$(groff -man -ww -z -Tutf8 "$p" 2>&1)
	[ $rc = 0 ] && [ -z "$w$w2" ]
	tap_why $? "$p formats with man --warnings (and groff -ww) and gives no warning" "$w" "$w2"
done

# Module parameters: each one in copyoff_*/ has an "#options MODULE NAME="
# line in the modprobe.d file and an entry in copyoff(4).  A module whose
# section is still a marked placeholder in both is left for later.
conf=scripts/modprobe.d/copyoff.conf
missing=
for d in copyoff_*/; do
	m=${d%/}
	if grep -q "PLACEHOLDER($m)" "$conf" && grep -q "PLACEHOLDER($m)" man/copyoff.4; then
		echo "# host: parameters of $m: placeholder, not checked"
		continue
	fi
	for f in "$m"/*.c; do
		# The module a source is built into: the Kbuild line "DIR/MOD-y :=
		# ... DIR/FILE.o" (copyoff_dm/ builds two), else the directory's.
		mod=$(sed -n "s|^$m/\([a-z_]*\)-y := .*$m/$(basename "$f" .c)\.o.*|\1|p" Kbuild | head -n 1)
		mod=${mod:-$m}
		for p in $(sed -n 's/^module_param\(_cb\)\{0,1\}(\([a-z0-9_]*\),.*/\2/p' "$f"); do
			grep -q "^#options $mod $p=" "$conf" || missing="$missing $mod.$p(modprobe.d)"
			# (not a pipe into grep -q: under pipefail sed's SIGPIPE
			# when grep stops early would count as missing)
			section=$(sed -n "/^\\.SS $mod\$/,/^\\.S[SH] /p" man/copyoff.4)
			grep -qx "\\.I $p" <<< "$section" ||
				missing="$missing $mod.$p(copyoff.4)"
		done
	done
done
[ -z "$missing" ]
tap_why $? "every module parameter is documented in $conf and copyoff(4)${missing:+: missing$missing}"

# The modprobe.d file sets nothing by itself.
set_lines=$(grep -vE '^[[:space:]]*(#|$)' "$conf" scripts/modules-load.d/copyoff.conf)
[ -z "$set_lines" ]
tap_why $? "modprobe.d and modules-load.d files are examples only (every line commented)" "$set_lines"

# udev: the one rule matches the misc device and sets group and mode.
rule=$(grep -vE '^[[:space:]]*(#|$)' scripts/udev/60-copyoff.rules)
[ "$rule" = 'KERNEL=="copyoff", SUBSYSTEM=="misc", GROUP="disk", MODE="0660"' ]
tap_why $? "udev rule: /dev/copyoff (misc) gets group disk, mode 0660" "$rule"

# The kernel-report filter, in busybox as in the guest: the known nvmet-tcp
# lockdep report is explained; the same report with a frame of ours, a
# report after it, and any other report are not; nothing before the marker.
kr=$(mktemp -d "${TMPDIR:-/tmp}/copyoff-kr.XXXXXX")
lockdep='[ 1.0] copyoff-test: begin 3 nvme/006
[ 1.1] ======================================================
[ 1.1] WARNING: possible circular locking dependency detected
[ 1.1] 6.1.192-copyoff-debug #1 Not tainted
[ 1.2] -> #1 ((work_completion)(&queue->io_work)){+.+.}-{0:0}:
[ 1.2]        nvmet_tcp_install_queue+0x1c/0x80 [nvmet_tcp]
[ 1.3] stack backtrace:
[ 1.3]  <TASK>
[ 1.3]  nvmet_tcp_release_queue_work+0x30/0x200 [nvmet_tcp]
[ 1.3]  </TASK>'
printf '%s\n' "$lockdep" > "$kr/known"
printf '%s\n' "$lockdep" | sed '/nvmet_tcp_release_queue_work/a [ 1.3]  copyoff_job_work+0x10/0x90 [copyoff_core]' > "$kr/ours"
{ printf '%s\n' "$lockdep"; echo '[ 2.0] BUG: KASAN: slab-use-after-free in foo'; } > "$kr/after"
{ echo '[ 0.5] WARNING: CPU: 0 at boot'; echo '[ 1.0] copyoff-test: begin 3 nvme/006'; echo '[ 1.5] WARNING: CPU: 1 PID: 7 at bar'; } > "$kr/other"
krun() { # krun LOG: _kernel_reports of LOG's "begin 3" marker
	DM=$1 KNOWN_REPORTS=tests/known-reports busybox sh -c \
		'dmesg() { cat "$DM"; }; . tests/common/rc; _kernel_reports "copyoff-test: begin 3 "'
}
k1=$(krun "$kr/known") k2=$(krun "$kr/ours") k3=$(krun "$kr/after") k4=$(krun "$kr/other")
rm -rf "$kr"
[ "${k1%%:*}" = known ] && [ "$(echo "$k1" | wc -l)" = 1 ] &&
	[ "$k2" = '[ 1.1] WARNING: possible circular locking dependency detected' ] &&
	[ "$(echo "$k3" | sed -n 2p)" = '[ 2.0] BUG: KASAN: slab-use-after-free in foo' ] &&
	[ "$k4" = '[ 1.5] WARNING: CPU: 1 PID: 7 at bar' ]
tap_why $? "guest runner: a kernel report fails its test unless tests/known-reports explains it (stock frames only)" \
	"known: $k1" "with a frame of ours: $k2" "a report after it: $k3" "another report: $k4"

# BTF (scripts/btf-layout.sh, scripts/btf.py), for one installed kernel with
# headers and modules: every layout offset comes with its size and every
# prototype of scripts/btf-protos is the one found; a copy of the table with
# one prototype changed (a mutation) gives a mismatch naming the function,
# expected and found, and Kbuild then leaves that module out, saying so
# (make -n: the Kbuild is read, nothing is compiled).
hk=
for d in /lib/modules/*/build; do
	[ -r "$d/include/config/kernel.release" ] && hk=$d
done
if [ -z "$hk" ]; then
	echo "# host: no kernel headers: BTF layout and prototype checks skipped"
else
	bt=$(mktemp -d "${TMPDIR:-/tmp}/copyoff-hc.XXXXXX")
	mkdir -p "$bt/include/generated"
	cp Kbuild dkms.conf "$bt/"
	log=$(scripts/btf-layout.sh "$hk" "$bt/btf.h" 2>&1)
	off=$(grep -c '^#define COPYOFF_BTF_.*_OFF ' "$bt/btf.h")
	size=$(grep '^#define COPYOFF_BTF_.*_OFF ' "$bt/btf.h" |
	       sed 's/_OFF .*/_SIZE /' | grep -cFf - "$bt/btf.h")
	all=$(grep -c '^[a-z_]* [a-z-]* [a-z_]* ' scripts/btf-protos)
	[ "$off" -gt 0 ] && [ "$off" = "$size" ] && grep -q '^#define HAVE_BTF_NVMET 1' "$bt/btf.h" &&
		grep -qxF "/* prototypes: $all of $all as expected (scripts/btf-protos) */" "$bt/btf.h"
	tap_why $? "BTF of $(basename "$(dirname "$hk")"): $off layout offsets, each with its size; $all prototypes as expected" "$log"
	sed 's/^\(copyoff_nvme nvme-core nvme_submit_sync_cmd - .*\))$/\1, int)/' \
		scripts/btf-protos > "$bt/protos"
	COPYOFF_BTF_PROTOS=$bt/protos scripts/btf-layout.sh "$hk" \
		"$bt/include/generated/copyoff_btf.h" > /dev/null 2>&1
	kb=$(make -n -C "$hk" M="$bt" modules 2>&1 | grep 'NOT BUILT: prototype')
	want='nvme_submit_sync_cmd: expected "int (struct request_queue *, struct nvme_command *, void *, unsigned int, int)", found "int (struct request_queue *, struct nvme_command *, void *, unsigned int)" in nvme-core BTF'
	grep -qxF "/* prototype mismatch: copyoff_nvme: $want */" "$bt/include/generated/copyoff_btf.h" &&
		grep -qxF "copyoff_nvme: NOT BUILT: prototype mismatch: $want" <<< "$kb" &&
		! grep -v '^copyoff_nvme: ' <<< "$kb" | grep -q .
	tap_why $? "a changed prototype in scripts/btf-protos (mutation) is a mismatch, and Kbuild leaves that module alone out, saying which, expected and found" \
		"$(grep prototype "$bt/include/generated/copyoff_btf.h")" "$kb"
	rm -rf "$bt"
fi

tap_status
