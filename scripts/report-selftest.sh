#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# report-selftest.sh: scripts/report.py against hand-made guest consoles and
# QEMU traces (make check runs it as a host check).  Each case states the
# outcome report.py must give: a serial trace is judged, interleaved Copy
# commands are not judged per command, a command with fewer or more range
# lines than its nr, a missing marker or trace file, an unexpected skip fail;
# destination writes are counted (the marker's own not), a write that follows
# no range fails; descriptor formats (format=) and the statuses a Copy ended
# with (status=, failed=; a command refused before its first range ends at
# its pci_nvme_err_req_status line, not across the next marker) are judged;
# tests/expected-skips is well-formed and the README lists its lines.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
t=$(mktemp -d "${TMPDIR:-/tmp}/report-selftest.XXXXXX")
trap 'rm -rf "$t"' EXIT
bad=0 n=0

hdr() { echo "1@1.0:pci_nvme_copy cid $1 nsid $2 nr $3 format 0x${4:-0}"; }
rng() { echo "1@1.0:pci_nvme_copy_source_range slba 0x$1 nlb $2"; }
wr() { echo "1@1.0:pci_nvme_copy_out slba 0x$1 nlb $2"; }
mark() { hdr 1 9 1; rng "$(printf %x "$1")" 1; echo "1@1.0:pci_nvme_copy_out slba 0x0 nlb 1"; }

# expect NAME RC PATTERN HOSTCHECK [REPORT OPTIONS]: the trace is $t/trace;
# the console holds one test (index 1) asking HOSTCHECK.  report.py must exit
# RC and print a line matching PATTERN.
expect() {
	local name=$1 rc=$2 pat=$3 req=$4 out got
	shift 4
	printf 'TAP version 13\n1..1\nok 1 - rig/002: case (1s)\n# hostcheck: %s\n1 passed, 0 failed, 0 skipped\n' \
		"$req" > "$t/console"
	out=$("$top/scripts/report.py" "$@" L "$t/console" "$t/trace" 2>&1)
	got=$?
	n=$((n + 1))
	if [ "$got" != "$rc" ] || ! grep -qE -- "$pat" <<< "$out"; then
		echo "report-selftest: FAIL: $name: expected status $rc and /$pat/, got $got:"
		sed 's/^/    /' <<< "$out"
		bad=$((bad + 1))
	fi
}

{ mark 1; hdr 2 1 2; rng 10 8; rng 20 4; hdr 3 1 1; rng 30 8; mark 2; } > "$t/trace"
expect "serial commands are judged" 0 "^ok 1" "nsid=1 cmds=2 max_nr=2 max_nlb=8 max_cmd_blocks=12 blocks=20"
{ mark 1; hdr 2 1 2; rng 10 8; rng 20 4; hdr 3 1 1; rng 30 8; } > "$t/trace"
expect "max_cmd_blocks over the limit fails" 1 "max_cmd_blocks: limit 11, the device saw 12" "max_cmd_blocks=11"
{ mark 1; hdr 2 1 2; rng 10 8; hdr 3 1 2; rng 10 4; rng 20 4; rng 20 4; } > "$t/trace"
expect "interleaved: order-independent keys are judged" 0 "^ok 1" "nsid=1 cmds=2 max_nr=2 max_nlb=8 blocks=20"
{ mark 1; hdr 2 1 2; rng 10 8; hdr 3 1 2; rng 10 4; rng 20 4; rng 20 4; } > "$t/trace"
expect "interleaved: max_cmd_blocks is not judged" 1 "max_cmd_blocks: cannot judge: interleaved" "nsid=1 max_cmd_blocks=16"
{ mark 1; hdr 2 1 2; rng 10 8; hdr 3 1 2; rng 10 8; rng 20 8; rng 20 8; } > "$t/trace"
expect "interleaved: no wrong verdict either" 1 "cannot judge: interleaved" "nsid=1 max_cmd_blocks=16"
{ mark 1; hdr 2 1 2; rng 10 8; hdr 3 2 1; rng 10 4; rng 20 4; } > "$t/trace"
expect "interleaved across namespaces: blocks is not judged" 1 "blocks: cannot judge: interleaved Copy commands of several namespaces" "nsid=1 blocks=12"
{ mark 1; hdr 2 1 3; rng 10 8; rng 20 4; mark 2; } > "$t/trace"
expect "a command with fewer range lines than nr fails" 1 "announced nr 3, the trace has 2 source ranges" "nsid=1 cmds=1"
{ mark 1; hdr 2 1 1; rng 10 8; rng 20 4; } > "$t/trace"
expect "a range line of no command fails" 1 "1 source range line\(s\) belong to no Copy command" "nsid=1 cmds=1"
{ mark 1; hdr 2 1 2; rng 10 8; hdr 3 1 1; rng 10 4; } > "$t/trace"
expect "interleaved: range lines short of the nr fail" 1 "announced 3 source ranges in all, the trace has 2" "nsid=1 cmds=2"
{ mark 1; hdr 2 2 1 2; rng 10 8; hdr 3 2 1 2; rng 20 8; mark 2; } > "$t/trace"
expect "format: every command of the namespace of that format" 0 "^ok 1" "nsid=2 cmds=2 format=2"
{ mark 1; hdr 2 2 1 2; rng 10 8; hdr 3 2 1 0; rng 20 8; mark 2; } > "$t/trace"
expect "format: one command of another format fails" 1 "descriptor format 2 on nsid 2, the device saw formats 0,2" "nsid=2 format=2"
{ mark 1; hdr 2 1 1 2; rng 10 8; mark 2; } > "$t/trace"
expect "format: no command on the namespace fails" 1 "the device saw formats none" "nsid=2 format=2"
err() { echo "1@1.0:pci_nvme_err_req_status cid $1 nsid $2 status 0x$3 opc 0x${4:-19}"; }
{ mark 1; hdr 2 2 2 2; err 2 2 4185; hdr 3 2 1 2; rng 20 8; mark 2; } > "$t/trace"
expect "a command refused before its first range ends at its status" 0 "^ok 1" "nsid=2 cmds=2 blocks=8 status=0x185 failed=1"
{ mark 1; hdr 2 2 2 2; err 2 2 4002; mark 2; hdr 3 1 1; rng 20 8; } > "$t/trace"
expect "a refused command is not in flight across the next marker" 0 "^ok 1" "nsid=2 status=0x2 failed=1"
{ mark 1; hdr 2 2 2 2; rng 20 8; err 2 2 4183; mark 2; } > "$t/trace"
expect "a status the device did not give fails" 1 "no Copy command on nsid 2 ended with status 0x185, the device answered 0x183" "nsid=2 status=0x185"
{ mark 1; hdr 2 2 2 2; err 2 2 4185 2; mark 2; } > "$t/trace"
expect "another opcode's status is not a Copy's" 1 "announced nr 2, the trace has 0 source ranges" "nsid=2 failed=0"
{ mark 1; hdr 2 2 2 2; rng 10 8; hdr 3 2 2 2; err 2 2 4185; rng 20 8; rng 30 8; mark 2; } > "$t/trace"
expect "interleaved: a refused command's ranges may be missing" 0 "^ok 1" "nsid=2 cmds=2 failed=1"
{ mark 2; hdr 2 1 1; rng 10 8; } > "$t/trace"
expect "a missing marker fails" 1 "no trace marker for test 1" "nsid=1 cmds=0"
{ hdr 2 1 2; rng 10 8; mark 1; rng 20 8; hdr 3 1 1; rng 30 4; } > "$t/trace"
expect "a command in flight across the marker: not judged" 1 "in flight across this test's trace marker" "nsid=1 cmds=1"
{ mark 1; hdr 2 1 2; rng 10 8; wr 100 8; rng 20 4; wr 108 4; hdr 3 1 1; rng 30 8; wr 200 8; mark 2; } > "$t/trace"
expect "destination writes are counted" 0 "device saw .*writes=3 written_blocks=20" "nsid=1 cmds=2 writes=3 written_blocks=20"
{ mark 1; hdr 2 1 2; rng 10 8; wr 100 8; rng 20 4; mark 2; } > "$t/trace"
expect "a range the device did not write out fails writes" 1 "expected 2 destination writes on nsid 1, the device made 1" "nsid=1 cmds=1 writes=2"
{ mark 1; hdr 2 1 2; rng 10 8; wr 100 8; rng 20 4; wr 108 2; } > "$t/trace"
expect "fewer blocks written than copied fails written_blocks" 1 "expected 12 blocks written on nsid 1, the device wrote 10" "nsid=1 blocks=12 written_blocks=12"
{ mark 1; wr 100 8; hdr 2 1 1; rng 10 8; wr 108 8; } > "$t/trace"
expect "a write that follows no range fails" 1 "1 destination write line\(s\) follow no source range" "nsid=1 cmds=1 writes=1"
{ mark 1; hdr 2 1 1; rng 10 8; wr 100 8; hdr 3 2 1; rng 10 4; wr 200 4; } > "$t/trace"
expect "writes of another namespace are not counted" 0 "^ok 1" "nsid=2 cmds=1 writes=1 written_blocks=4"
{ mark 1; hdr 2 1 2; rng 10 8; hdr 3 2 1; rng 10 4; wr 100 8; rng 20 4; wr 200 4; wr 108 4; } > "$t/trace"
expect "interleaved across namespaces: writes are not judged" 1 "writes: cannot judge: interleaved Copy commands of several namespaces" "nsid=1 writes=2"
{ mark 1; hdr 2 1 1; rng 800 8; wr 1000 8; mark 2; } > "$t/trace"
expect "a range and a write at given LBAs are found" 0 "^ok 1" "nsid=1 has_range=2048:8 has_write=4096:8"
expect "a range at another LBA fails has_range" 1 "no source range of 8 blocks at LBA 2049 on nsid 1" "nsid=1 has_range=2049:8"
expect "a write of another length fails has_write" 1 "no destination write of 4 blocks to LBA 4096 on nsid 1" "nsid=1 has_write=4096:4"
expect "a range of another namespace is not found" 1 "no source range of 8 blocks at LBA 2048 on nsid 2" "nsid=2 has_range=2048:8"
rm -f "$t/trace"
out=$("$top/scripts/report.py" L "$t/console" "$t/no-such-trace" 2>&1)
got=$?
n=$((n + 1))
[ $got != 0 ] && grep -q "no device trace" <<< "$out" ||
	{ echo "report-selftest: FAIL: a missing trace file must fail: $out"; bad=$((bad + 1)); }

# Expected skips.
printf '# comment\n6.1 nvmet/008 6.1 has no nvme-loop\n* debug/001 debug kernel only\n' > "$t/skips"
skip_case() { # skip_case NAME KVER TEST RC PATTERN
	printf 'TAP version 13\n1..1\nok 1 - %s: case # SKIP why\n0 passed, 0 failed, 1 skipped\n' "$3" > "$t/console"
	mark 1 > "$t/trace"
	out=$("$top/scripts/report.py" --expected-skips "$t/skips" --kernel "$2" L "$t/console" "$t/trace" 2>&1)
	got=$?
	n=$((n + 1))
	if [ "$got" != "$4" ] || ! grep -qE -- "$5" <<< "$out"; then
		echo "report-selftest: FAIL: $1: expected status $4 and /$5/, got $got:"
		sed 's/^/    /' <<< "$out"
		bad=$((bad + 1))
	fi
}
skip_case "a listed skip is a skip" 6.1.0-50-amd64 nvmet/008 0 "0 passed, 0 failed, 1 skipped"
skip_case "a skip listed for another series fails" 6.12.95+deb12-amd64 nvmet/008 1 "unexpected skip: .* does not list nvmet/008 for 6.12"
skip_case "a skip listed for every series" 6.12.95+deb12-amd64 debug/001 0 "0 passed, 0 failed, 1 skipped"
skip_case "an unlisted skip fails" 6.1.0-50-amd64 nvme/007 1 "unexpected skip: .* does not list nvme/007 for 6.1"
# And the project's own list is well-formed.
printf 'TAP version 13\n1..0\n0 passed, 0 failed, 0 skipped\n' > "$t/console"
out=$("$top/scripts/report.py" --expected-skips "$top/tests/expected-skips" --kernel 6.1 L "$t/console" "$t/trace" 2>&1)
got=$?
n=$((n + 1))
[ $got = 0 ] || { echo "report-selftest: FAIL: tests/expected-skips: $out"; bad=$((bad + 1)); }

# ... and the README's table lists each of its lines ("every" for "*").
while read -r ser test reason; do
	case $ser in '' | '#'*) continue ;; esac
	[ "$ser" = '*' ] && ser=every
	n=$((n + 1))
	grep -qF "| $ser | \`$test\` |" "$top/README.md" ||
		{ echo "report-selftest: FAIL: README.md has no expected-skip row '| $ser | \`$test\` | ...'"; bad=$((bad + 1)); }
done < "$top/tests/expected-skips"

# An incomplete run (the guest died in test 2) fails and shows the console
# after the last result: the panic, not the earlier tests' output.
{ mark 1; mark 2; } > "$t/trace"
printf 'TAP version 13\n1..3\n# earlier output\nok 1 - rig/002: case (1s)\nKernel panic - not syncing: case\nvm-run: guest killed\n' > "$t/console"
out=$("$top/scripts/report.py" L "$t/console" "$t/trace" 2>&1)
got=$?
n=$((n + 1))
if [ $got != 1 ] || ! grep -q '^not ok - L: the guest run is incomplete (1 of 3 tests reported)$' <<< "$out" ||
	! grep -q '^#   console: Kernel panic - not syncing: case$' <<< "$out" ||
	! grep -q '^#   console: vm-run: guest killed$' <<< "$out" || grep -q 'earlier output' <<< "$out"; then
	echo "report-selftest: FAIL: an incomplete run shows the console tail: got $got:"
	sed 's/^/    /' <<< "$out"
	bad=$((bad + 1))
fi

echo "report-selftest: $((n - bad)) of $n cases as expected"
[ $bad = 0 ]
