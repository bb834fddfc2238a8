#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn one guest run into the final TAP report.

    report.py LABEL CONSOLE_LOG NVME_TRACE_LOG

Reads the guest's TAP from the console log, and for every test that asked
for it ("# hostcheck: key=value ..."), checks the QEMU NVMe Copy trace of that
test against the request.  The trace is split per test at the marker Copy
commands the runner sends to the marker namespace (nsid 9): the marker's
source LBA is the test's index.

hostcheck keys (all optional; each a constraint on Copy commands seen for
namespace NSID during the test):
    nsid=N            namespace to look at (default 1)
    cmds=N            exactly N Copy commands
    min_cmds=N        at least N
    max_nr=N          no command with more than N source ranges
    max_nlb=N         no source range longer than N blocks
    max_cmd_blocks=N  no command copying more than N blocks in total (QEMU traces
                      source ranges without a command id: exact when the test
                      keeps one Copy command in flight at a time)
    blocks=N          exactly N blocks copied in all
    min_blocks=N      at least N blocks copied in all

Prints TAP lines prefixed with LABEL, then "LABEL: N passed, N failed, N
skipped"; exits 1 if any test failed or the run was incomplete.
"""
import re
import sys

MARK_NSID = 9


def parse_trace(path):
    """Return {test index: [command dicts]} for non-marker namespaces."""
    segs = {}
    cur = None
    cmd = None
    last_was_marker = False
    try:
        lines = open(path, errors="replace").read().splitlines()
    except FileNotFoundError:
        lines = []
    for line in lines:
        m = re.search(r"pci_nvme_copy cid (\d+) nsid (\d+) nr (\d+) format (0x[0-9a-f]+)", line)
        if m:
            nsid = int(m.group(2))
            if nsid == MARK_NSID:
                last_was_marker = True
                cmd = None
                continue
            last_was_marker = False
            cmd = {"nsid": nsid, "nr": int(m.group(3)), "ranges": []}
            segs.setdefault(cur, []).append(cmd)
            continue
        m = re.search(r"pci_nvme_copy_source_range slba (0x[0-9a-f]+) nlb (\d+)", line)
        if m:
            if last_was_marker:
                cur = int(m.group(1), 16)
                last_was_marker = False
                continue
            if cmd is not None:
                cmd["ranges"].append(int(m.group(2)))
            continue
    return segs


def check(req, cmds):
    """Return a list of failure strings for one hostcheck request."""
    want = dict(kv.split("=", 1) for kv in req.split())
    nsid = int(want.pop("nsid", "1"))
    cmds = [c for c in cmds if c["nsid"] == nsid]
    ncmds = len(cmds)
    nr = max((c["nr"] for c in cmds), default=0)
    nlb = max((n for c in cmds for n in c["ranges"]), default=0)
    per_cmd = max((sum(c["ranges"]) for c in cmds), default=0)
    total = sum(sum(c["ranges"]) for c in cmds)
    seen = {"cmds": ncmds, "max_nr": nr, "max_nlb": nlb, "max_cmd_blocks": per_cmd, "blocks": total}
    bad = []
    for k, v in want.items():
        v = int(v)
        if k == "cmds" and ncmds != v:
            bad.append(f"expected {v} Copy commands on nsid {nsid}, the device saw {ncmds}")
        elif k == "min_cmds" and ncmds < v:
            bad.append(f"expected at least {v} Copy commands on nsid {nsid}, the device saw {ncmds}")
        elif k in ("max_nr", "max_nlb", "max_cmd_blocks") and seen[k] > v:
            bad.append(f"{k}: limit {v}, the device saw {seen[k]}")
        elif k == "blocks" and total != v:
            bad.append(f"expected {v} blocks copied on nsid {nsid}, the device saw {total}")
        elif k == "min_blocks" and total < v:
            bad.append(f"expected at least {v} blocks copied on nsid {nsid}, the device saw {total}")
        elif k not in ("cmds", "min_cmds", "max_nr", "max_nlb", "max_cmd_blocks", "blocks", "min_blocks"):
            bad.append(f"unknown hostcheck key {k}")
    return bad, seen


def main():
    label, console, trace = sys.argv[1:4]
    segs = parse_trace(trace)
    lines = open(console, errors="replace").read().splitlines()
    tests = []  # [ok, index, text, [diag], [hostchecks]]
    plan = None
    summary_seen = False
    for line in lines:
        m = re.match(r"^(not ok|ok) (\d+) - (.*)$", line)
        if m:
            tests.append([m.group(1) == "ok", int(m.group(2)), m.group(3), [], []])
            continue
        m = re.match(r"^1\.\.(\d+)$", line)
        if m:
            plan = int(m.group(1))
            continue
        if re.match(r"^\d+ passed, \d+ failed", line):
            summary_seen = True
            continue
        if tests and line.startswith("# hostcheck:"):
            tests[-1][4].append(line[len("# hostcheck:"):].strip())
        elif tests and line.startswith("#"):
            tests[-1][3].append(line)

    passed = failed = skipped = 0
    for t in tests:
        ok, idx, text, diag, reqs = t
        skip = "# SKIP" in text
        for req in reqs:
            bad, seen = check(req, segs.get(idx, []))
            diag.append(f"#   hostcheck {req}: device saw " +
                        " ".join(f"{k}={v}" for k, v in seen.items()))
            if bad and ok and not skip:
                ok = False
            for b in bad:
                diag.append(f"#   FAIL (device trace): {b}")
        if skip:
            skipped += 1
        elif ok:
            passed += 1
        else:
            failed += 1
        print(f"{'ok' if ok else 'not ok'} {idx} - {label}: {text}")
        if not ok or reqs:
            for d in diag:
                print(d)
    complete = plan is not None and len(tests) == plan and summary_seen
    if not complete:
        print(f"not ok - {label}: the guest run is incomplete "
              f"({len(tests)} of {plan if plan is not None else '?'} tests reported)")
        failed += 1
    print(f"{label}: {passed} passed, {failed} failed, {skipped} skipped")
    sys.exit(0 if failed == 0 else 1)


if __name__ == "__main__":
    main()
