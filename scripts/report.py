#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn one guest run into the final TAP report.

    report.py [--expected-skips FILE --kernel KVER] LABEL CONSOLE_LOG NVME_TRACE_LOG

Reads the guest's TAP from the console log, and for every test that asked
for it ("# hostcheck: key=value ..."), checks the QEMU NVMe Copy trace of that
test against the request.  The trace is split per test at the marker Copy
commands the runner sends to the marker namespace (nsid 9): the marker's
source LBA is the test's index.  A missing trace file, or a test that asks
for a check but has no marker in the trace, fails.

hostcheck keys (all optional; each a constraint on Copy commands seen for
namespace NSID during the test):
    nsid=N            namespace to look at (default 1)
    cmds=N            exactly N Copy commands
    min_cmds=N        at least N
    max_nr=N          no command with more than N source ranges
    max_nlb=N         no source range longer than N blocks
    max_cmd_blocks=N  no command copying more than N blocks in total
    blocks=N          exactly N blocks copied in all
    min_blocks=N      at least N blocks copied in all
    writes=N          exactly N destination writes (pci_nvme_copy_out: QEMU
                      writes each source range out once it has read it)
    written_blocks=N  exactly N blocks written to destinations in all
    has_range=L:N     a source range of N blocks at LBA L (decimal) was copied
    has_write=L:N     a destination write of N blocks to LBA L was made
    status=0xS        at least one command ended with NVMe status S (SCT and
                      SC, bits 10:0; pci_nvme_err_req_status)
    failed=N          exactly N commands ended with an error status
    format=N          at least one command, and every one of descriptor format
                      N (0: within the namespace, 2: from another namespace
                      of the controller, whose id the trace does not give)

QEMU traces a command's header (pci_nvme_copy: cid, nsid, nr) but its source
ranges (pci_nvme_copy_source_range) without a command id.  Ranges are given
to the last command whose header came and that has fewer than nr of them.
When a header comes while an earlier command still lacks ranges, the
commands were in flight together (or the device stopped one early) and the
ranges cannot be told apart: per-command keys (max_cmd_blocks) are not
judged, the check fails with "cannot judge: interleaved"; keys that need a
range's namespace (max_nlb, blocks, min_blocks) likewise when the commands
in flight together were of different namespaces.  cmds, min_cmds and max_nr
come from the headers and always hold.  Every check also requires that each
command of the namespace had exactly nr range lines (in an interleaved
segment: that the segment's range lines add up to its commands' nr), and no
range line belongs to no command.

A command the device ends with an error (pci_nvme_err_req_status, which
has the command id) may have fewer range lines than its nr (the device stops
at the range it refuses, or before the first): from that line on, no further
range is given to it, and it needs no more than the range lines it had
(in an interleaved segment: the segment's range lines lie between what the
commands that succeeded announced and what all announced).

Destination writes (pci_nvme_copy_out, slba and nlb, no command id either)
follow their range's line; each is given to the command that had the last
range line.  writes and written_blocks are judged like the range keys (not
when commands of several namespaces were in flight together); a write line
that follows no range line of the segment fails, and the marker's own write
is not counted.

--expected-skips FILE (tests/expected-skips) with --kernel KVER: a skipped
test that FILE does not list for KVER's series (6.1, 6.12; "*": any) fails.

Prints TAP lines prefixed with LABEL, then "LABEL: N passed, N failed, N
skipped"; exits 1 if any test failed or the run was incomplete.  An
incomplete run also prints, as "#   console:" lines, the last console lines
after the last test's result (a panic, vm-run's kill message).
"""
import re
import sys

MARK_NSID = 9
CONSOLE_TAIL = 60  # console lines shown when a run is incomplete

HEADER_RE = re.compile(r"pci_nvme_copy cid (\d+) nsid (\d+) nr (\d+) format (0x[0-9a-f]+)")
RANGE_RE = re.compile(r"pci_nvme_copy_source_range slba (0x[0-9a-f]+) nlb (\d+)")
OUT_RE = re.compile(r"pci_nvme_copy_out slba (0x[0-9a-f]+) nlb (\d+)")
ERR_RE = re.compile(r"pci_nvme_err_req_status cid (\d+) nsid (\d+) status (0x[0-9a-f]+) opc (0x[0-9a-f]+)")
NVME_CMD_COPY = 0x19


class Segment:
    def __init__(self):
        self.cmds = []             # command dicts, in header order
        self.interleaved = False   # a header came while a command lacked ranges
        self.mixed = False         # ... and the two were of different namespaces
        self.across_marker = False  # a command was in flight across a marker
        self.stray = 0             # range lines that belong to no command
        self.stray_writes = 0      # write lines that follow no range line


def parse_trace(path):
    """Return {test index: Segment}, or None when there is no trace file."""
    try:
        lines = open(path, errors="replace").read().splitlines()
    except FileNotFoundError:
        return None
    segs = {}
    cur = Segment()         # before the first marker: belongs to no test
    open_cmds = []          # commands with fewer than nr ranges so far
    marker_pending = False  # a marker header whose range line is still to come
    marker_out = False      # the marker's write line is still to come
    last = None             # the command that had the segment's last range line
    for line in lines:
        m = ERR_RE.search(line)
        if m:
            cid, nsid = int(m.group(1)), int(m.group(2))
            if int(m.group(4), 16) != NVME_CMD_COPY or nsid == MARK_NSID:
                continue
            # the latest command of that id and namespace not ended yet
            for cmd in reversed(cur.cmds):
                if cmd["cid"] == cid and cmd["nsid"] == nsid and cmd["status"] is None:
                    cmd["status"] = int(m.group(3), 16)
                    if cmd in open_cmds:
                        open_cmds.remove(cmd)
                    break
            continue
        m = HEADER_RE.search(line)
        if m:
            nsid, nr = int(m.group(2)), int(m.group(3))
            if nsid == MARK_NSID:
                if open_cmds:
                    cur.across_marker = True
                marker_pending = True
                continue
            if open_cmds:
                cur.interleaved = True
                if any(c["nsid"] != nsid for c in open_cmds):
                    cur.mixed = True
            cmd = {"cid": int(m.group(1)), "nsid": nsid, "nr": nr, "format": int(m.group(4), 16),
                   "status": None,
                   "ranges": [], "writes": [],
                   "range_lbas": [], "write_lbas": []}
            cur.cmds.append(cmd)
            if nr > 0:
                open_cmds.append(cmd)
            continue
        m = RANGE_RE.search(line)
        if m:
            nlb = int(m.group(2))
            # The marker's own range: one block, its LBA the test's index.
            # (A range of a command still open across the marker cannot be
            # told from it unless its length differs.)
            if marker_pending and (nlb == 1 or not open_cmds):
                marker_pending = False
                idx = int(m.group(1), 16)
                new = segs.setdefault(idx, Segment())
                if open_cmds:
                    cur.across_marker = True
                    new.across_marker = True
                cur = new
                marker_out = True
                last = None
                continue
            marker_out = False
            if open_cmds:
                cmd = open_cmds[-1]
                cmd["ranges"].append(nlb)
                cmd["range_lbas"].append((int(m.group(1), 16), nlb))
                last = cmd
                if len(cmd["ranges"]) >= cmd["nr"]:
                    open_cmds.pop()
            else:
                cur.stray += 1
                last = None
            continue
        m = OUT_RE.search(line)
        if m:
            nlb = int(m.group(2))
            # The marker's write: one block to LBA 0 of the marker namespace.
            if marker_out and nlb == 1 and int(m.group(1), 16) == 0:
                marker_out = False
                continue
            marker_out = False
            if last is not None:
                last["writes"].append(nlb)
                last["write_lbas"].append((int(m.group(1), 16), nlb))
            else:
                cur.stray_writes += 1
    return segs


def check(req, seg):
    """Return (failures, what the device saw) for one hostcheck request."""
    want = dict(kv.split("=", 1) for kv in req.split())
    nsid = int(want.pop("nsid", "1"))
    cmds = [c for c in seg.cmds if c["nsid"] == nsid]
    ncmds = len(cmds)
    nr = max((c["nr"] for c in cmds), default=0)
    nlb = max((n for c in cmds for n in c["ranges"]), default=0)
    per_cmd = max((sum(c["ranges"]) for c in cmds), default=0)
    total = sum(sum(c["ranges"]) for c in cmds)
    writes = sum(len(c["writes"]) for c in cmds)
    written = sum(sum(c["writes"]) for c in cmds)
    seen = {"cmds": ncmds, "max_nr": nr, "max_nlb": nlb, "max_cmd_blocks": per_cmd, "blocks": total,
            "writes": writes, "written_blocks": written}
    if seg.interleaved:
        seen["interleaved"] = "yes (several namespaces)" if seg.mixed else "yes"
    bad = []

    # Every command traced exactly nr source ranges.
    if seg.stray:
        bad.append(f"{seg.stray} source range line(s) belong to no Copy command")
    if seg.stray_writes:
        bad.append(f"{seg.stray_writes} destination write line(s) follow no source range "
                   f"of this test's Copy commands")
    if seg.interleaved:
        announced = sum(c["nr"] for c in seg.cmds)
        announced_ok = sum(c["nr"] for c in seg.cmds if c["status"] is None)
        traced = sum(len(c["ranges"]) for c in seg.cmds)
        if not announced_ok <= traced <= announced:
            bad.append(f"the commands announced {announced} source ranges in all, "
                       f"the trace has {traced}")
    else:
        for c in cmds:
            if c["status"] is not None and len(c["ranges"]) <= c["nr"]:
                continue
            if len(c["ranges"]) != c["nr"]:
                bad.append(f"command cid {c['cid']} on nsid {nsid} announced nr {c['nr']}, "
                           f"the trace has {len(c['ranges'])} source ranges")
    if seg.across_marker:
        bad.append("cannot judge: a Copy command was in flight across this test's trace marker")

    per_command = ("max_cmd_blocks",)
    per_range = ("max_nlb", "blocks", "min_blocks", "writes", "written_blocks",
                 "has_range", "has_write")
    for k, v in want.items():
        if k not in ("cmds", "min_cmds", "max_nr", "format", "status", "failed") + \
                per_command + per_range:
            bad.append(f"unknown hostcheck key {k}")
            continue
        if k in ("has_range", "has_write"):
            try:
                where = tuple(int(x) for x in v.split(":"))
                assert len(where) == 2
            except (ValueError, AssertionError):
                bad.append(f"{k}={v}: expected LBA:BLOCKS")
                continue
        else:
            try:
                v = int(v, 0)
            except ValueError:
                bad.append(f"{k}={v}: expected a number")
                continue
        if k in per_command and seg.interleaved:
            bad.append(f"{k}: cannot judge: interleaved Copy commands (a header came before "
                       f"the previous command's nr source ranges; the trace gives ranges "
                       f"no command id)")
            continue
        if k in per_range and seg.mixed:
            bad.append(f"{k}: cannot judge: interleaved Copy commands of several namespaces "
                       f"(the trace gives ranges no namespace)")
            continue
        if k in ("status", "failed"):
            ended = [c["status"] & 0x7ff for c in cmds if c["status"] is not None]
            seen["failed"] = len(ended)
            seen["statuses"] = ",".join(sorted({hex(x) for x in ended})) or "none"
            if k == "status" and (v & 0x7ff) not in ended:
                bad.append(f"no Copy command on nsid {nsid} ended with status {v:#x}, "
                           f"the device answered {seen['statuses']}")
            if k == "failed" and len(ended) != v:
                bad.append(f"expected {v} Copy commands on nsid {nsid} to fail, "
                           f"the device failed {len(ended)} ({seen['statuses']})")
        elif k == "format":
            formats = sorted({c["format"] for c in cmds})
            seen["formats"] = ",".join(str(f) for f in formats) or "none"
            if formats != [v]:
                bad.append(f"expected Copy commands of descriptor format {v} on nsid {nsid}, "
                           f"the device saw formats {seen['formats']}")
        elif k == "cmds" and ncmds != v:
            bad.append(f"expected {v} Copy commands on nsid {nsid}, the device saw {ncmds}")
        elif k == "min_cmds" and ncmds < v:
            bad.append(f"expected at least {v} Copy commands on nsid {nsid}, the device saw {ncmds}")
        elif k in ("max_nr", "max_nlb", "max_cmd_blocks") and seen[k] > v:
            bad.append(f"{k}: limit {v}, the device saw {seen[k]}")
        elif k == "blocks" and total != v:
            bad.append(f"expected {v} blocks copied on nsid {nsid}, the device saw {total}")
        elif k == "min_blocks" and total < v:
            bad.append(f"expected at least {v} blocks copied on nsid {nsid}, the device saw {total}")
        elif k == "has_range" and where not in (r for c in cmds for r in c["range_lbas"]):
            bad.append(f"no source range of {where[1]} blocks at LBA {where[0]} on nsid {nsid}")
        elif k == "has_write" and where not in (w for c in cmds for w in c["write_lbas"]):
            bad.append(f"no destination write of {where[1]} blocks to LBA {where[0]} on nsid {nsid}")
        elif k == "writes" and writes != v:
            bad.append(f"expected {v} destination writes on nsid {nsid}, the device made {writes}")
        elif k == "written_blocks" and written != v:
            bad.append(f"expected {v} blocks written on nsid {nsid}, the device wrote {written}")
    return bad, seen


def kernel_series(kver):
    m = re.match(r"(\d+\.\d+)", kver)
    return m.group(1) if m else kver


def read_expected_skips(path):
    """{(series, test)}; a malformed line is an error."""
    skips = set()
    for n, line in enumerate(open(path), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        f = line.split(None, 2)
        if len(f) < 3 or not re.match(r"^(\*|\d+\.\d+)$", f[0]) or "/" not in f[1]:
            sys.exit(f"report.py: {path}:{n}: expected 'KERNEL_SERIES GROUP/NNN reason', got '{line}'")
        skips.add((f[0], f[1]))
    return skips


def main():
    args = sys.argv[1:]
    skips_file = kver = None
    while args and args[0].startswith("--"):
        if args[0] == "--expected-skips" and len(args) > 1:
            skips_file = args[1]
        elif args[0] == "--kernel" and len(args) > 1:
            kver = args[1]
        else:
            sys.exit(f"report.py: unknown option {args[0]}")
        args = args[2:]
    if len(args) != 3 or (skips_file is None) != (kver is None):
        sys.exit(__doc__.split("\n\n")[1])
    label, console, trace = args
    expected = read_expected_skips(skips_file) if skips_file else None
    series = kernel_series(kver) if kver else None

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
        name = text.split(":", 1)[0]
        for req in reqs:
            if segs is None:
                bad, seen = [f"no device trace ({trace})"], {}
            elif idx not in segs:
                bad, seen = [f"no trace marker for test {idx}: its part of the trace is unknown"], {}
            else:
                bad, seen = check(req, segs[idx])
            diag.append(f"#   hostcheck {req}: device saw " +
                        " ".join(f"{k}={v}" for k, v in seen.items()))
            if bad and ok and not skip:
                ok = False
            for b in bad:
                diag.append(f"#   FAIL (device trace): {b}")
        if skip and expected is not None and (series, name) not in expected \
                and ("*", name) not in expected:
            skip = False
            ok = False
            diag.append(f"#   FAIL: unexpected skip: {skips_file} does not list {name} "
                        f"for {series}")
        if skip:
            skipped += 1
        elif ok:
            passed += 1
        else:
            failed += 1
        if not ok:
            text = text.replace("# SKIP", "(skipped:", 1) + ")" if "# SKIP" in text else text
        print(f"{'ok' if ok else 'not ok'} {idx} - {label}: {text}")
        if not ok or reqs:
            for d in diag:
                print(d)
    if segs is None and tests:
        print(f"not ok - {label}: no device trace ({trace})")
        failed += 1
    complete = plan is not None and len(tests) == plan and summary_seen
    if not complete:
        print(f"not ok - {label}: the guest run is incomplete "
              f"({len(tests)} of {plan if plan is not None else '?'} tests reported)")
        failed += 1
        # What the guest printed last (a panic, the test that was running,
        # vm-run's kill): the console log may be gone when CI reports.
        last = 0
        for i, line in enumerate(lines):
            if re.match(r"^(not ok|ok) \d+ - ", line):
                last = i + 1
        for line in lines[last:][-CONSOLE_TAIL:]:
            print(f"#   console: {line.rstrip()}")
    print(f"{label}: {passed} passed, {failed} failed, {skipped} skipped")
    sys.exit(0 if failed == 0 else 1)


if __name__ == "__main__":
    main()
