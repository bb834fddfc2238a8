# SPDX-License-Identifier: GPL-2.0
#
# tap.sh: the TAP lines of the host-side checks, one contract for check.sh,
# host-checks.sh, install-test.sh and pkg-test.sh (sourced; bash).
#
#   TAP_PREFIX              what follows "ok - " and "not ok - " (default "host: ")
#   TAP_TAIL                how many lines of detail a failure shows (default 30)
#   tap RC TEXT [LOG]       "ok - ${TAP_PREFIX}TEXT" when RC is 0; else
#                           "not ok - ${TAP_PREFIX}TEXT" and, when the file LOG
#                           exists, its last TAP_TAIL lines as "#   " comments
#   tap_why RC TEXT [LINE...]
#                           the same, the detail of a failure given as lines
#   tap_lines CMD...        run CMD (a script that prints TAP lines), print its
#                           output and count its "ok" and "not ok" lines
#   tap_passed, tap_failed  the counts of all of the above; tap_skipped is
#                           for the caller (check.sh adds the guests' skips)
#   tap_summary             "N passed, N failed, N skipped"
#   tap_status              true when nothing failed: a script's last command
tap_passed=0 tap_failed=0 tap_skipped=0
TAP_PREFIX=${TAP_PREFIX-host: }
TAP_TAIL=${TAP_TAIL:-30}

# One result, counted: ok or not ok; true when RC is 0.
tap_result() { # tap_result RC TEXT
	if [ "$1" = 0 ]; then
		tap_passed=$((tap_passed + 1))
		echo "ok - $TAP_PREFIX$2"
		return 0
	fi
	tap_failed=$((tap_failed + 1))
	echo "not ok - $TAP_PREFIX$2"
	return 1
}

tap() { # tap RC TEXT [LOG]
	tap_result "$1" "$2" ||
		{ [ -n "${3:-}" ] && [ -f "$3" ] && sed 's/^/#   /' "$3" | tail -n "$TAP_TAIL"; }
	return 0
}

tap_why() { # tap_why RC TEXT [LINE...]
	local rc=$1 text=$2
	shift 2
	tap_result "$rc" "$text" ||
		{ [ $# -gt 0 ] && printf '%s\n' "$@" | sed 's/^/#   /' | tail -n "$TAP_TAIL"; }
	return 0
}

tap_lines() { # tap_lines CMD...
	local line
	while IFS= read -r line; do
		echo "$line"
		case "$line" in
		ok*) tap_passed=$((tap_passed + 1)) ;;
		"not ok"*) tap_failed=$((tap_failed + 1)) ;;
		esac
	done < <("$@")
}

tap_summary() {
	echo "$tap_passed passed, $tap_failed failed, $tap_skipped skipped"
}

tap_status() {
	[ "$tap_failed" = 0 ]
}
