#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# host-checks.sh: checks of the installable files that need no kernel build
# (run by make check; prints TAP lines "ok - host: ..." / "not ok - host: ...").
#   - the man pages format without a single warning (man --warnings);
#   - every module parameter is documented in the modprobe.d file and in
#     copyoff(4);
#   - the udev rule gives /dev/copyoff mode 0660, group disk.
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

tap_status
