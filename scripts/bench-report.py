#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench-report.py OUT --machine TEXT --date TEXT [--seconds N]

Turn make bench's runs (OUT/runs.jsonl, one JSON object a run, from
tests/bench/run) into the report: the median of each cell's runs, the ratios
to the simple and to the best userspace copy, the latency of an operation
(p50, p99, p99.9: medians of the runs' percentiles), network bytes and CPU
seconds per byte copied, the engine's peak memory, and the issue's targets,
met or missed by how much.  A cell is a placement, a unit, a number of
ranges, their layout (spread: sources spaced, destinations following;
contiguous; scattered) and a number of jobs.  Writes OUT/results.json, OUT/table.md, OUT/chart.png
(when matplotlib is there) and prints the table.
"""
import argparse
import json
import os
import statistics
import sys

PLACES = ["local", "tcp", "tcp1g", "loop", "lv-local", "lv-tcp1g",
          "pvmove-local", "pvmove-tcp1g", "cow-local", "cow-tcp1g",
          "xns-same", "xns-local", "xns-same-tcp1g", "xns-tcp1g"]
PLACE_NAMES = {"local": "local NVMe namespace", "tcp": "NVMe/TCP loopback",
               "tcp1g": "NVMe/TCP loopback shaped to 1 Gb/s",
               "lv-local": "linear volumes (LVM-style) on the local namespace",
               "lv-tcp1g": "linear volumes on an NVMe/TCP namespace at 1 Gb/s",
               "loop": "loop device over an image file on XFS",
               "pvmove-local": "dm-kcopyd: lvm pvmove between two PVs on the local namespace",
               "pvmove-tcp1g": "dm-kcopyd: lvm pvmove between two PVs on an NVMe/TCP namespace at 1 Gb/s",
               "cow-local": "dm-kcopyd: snapshot copy-on-write under random 4 KiB writes, local namespace",
               "cow-tcp1g": "dm-kcopyd: snapshot copy-on-write under random 4 KiB writes, NVMe/TCP at 1 Gb/s",
               "xns-same": "QEMU 10: within namespace 1 (beside the cross-namespace cells)",
               "xns-local": "QEMU 10: namespace 1 to namespace 2 of one controller (format 2)",
               "xns-same-tcp1g": "QEMU 10, NVMe/TCP at 1 Gb/s: within one fabrics namespace",
               "xns-tcp1g": "QEMU 10, NVMe/TCP at 1 Gb/s: between two fabrics namespaces of one subsystem"}
METHODS = ["simple", "aio", "emulate", "offload", "auto", "raw",
           "fio-emulate", "fio-offload", "dd", "qemu-img", "qemu-img-C", "reflink",
           "stock-kcopyd", "copyoff-kcopyd"]
# The userspace copies a cell's ratios are taken against: the first present
# is "simple" (the clone cell's is dd, the dm-kcopyd cells' stock kcopyd),
# the best of them "best user".
USERSPACE = ("simple", "aio", "dd", "qemu-img", "stock-kcopyd")
CLONE = ("dd", "qemu-img", "qemu-img-C")
GIB = 1 << 30


LAYOUTS = ["spread", "contiguous", "scattered"]
LAT = ("lat_p50_us", "lat_p99_us", "lat_p999_us")


def cell_name(unit, ranges, layout="spread"):
    if ranges == 1 and unit >= 64 << 20:
        return "clone %dM" % (unit >> 20)
    if unit % (1 << 20) == 0:
        u = "%dM" % (unit >> 20)
    else:
        u = "%dK" % (unit >> 10)
    if layout != "spread" and ranges > 1:
        return "%s x %d %s" % (u, ranges, layout)
    return "%s x %d" % (u, ranges)


def lat_median(rs, k):
    """The median of the runs' percentile k (None where no run has it)."""
    v = [x[k] for x in rs if x.get(k) is not None and x[k] >= 0]
    return statistics.median(v) if v else None


def load(path):
    runs, failed = [], []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                r = json.loads(line)
            except ValueError:
                print("bench-report: unreadable line: %s" % line[:120], file=sys.stderr)
                continue
            (failed if r.get("failed") else runs).append(r)
    return runs, failed


def summarize(runs):
    cells = {}
    for r in runs:
        lay = r.get("layout", "spread")
        if r["ranges"] == 1:
            lay = "spread"      # one range: no layout
        key = (r["place"], r["unit"], r["ranges"], LAYOUTS.index(lay) if lay in LAYOUTS else 9,
               r["jobs"])
        r["layout"] = lay
        cells.setdefault(key, {}).setdefault(r["method"], []).append(r)
    out = []
    for key in sorted(cells, key=lambda k: (PLACES.index(k[0]) if k[0] in PLACES else 9,) + k[1:]):
        place, unit, ranges, _, jobs = key
        layout = next(iter(cells[key].values()))[0]["layout"]
        methods = {}
        for m, rs in cells[key].items():
            bytes_ = sum(x["bytes"] for x in rs)
            methods[m] = {
                "runs": len(rs),
                "mib_s": statistics.median(x["mib_s"] for x in rs),
                "mib_s_all": [x["mib_s"] for x in rs],
                "net_per_byte": sum(x["net_bytes"] for x in rs) / bytes_ if bytes_ else None,
                "cpu_s_per_gib": sum(x["cpu_s"] for x in rs) / (bytes_ / GIB) if bytes_ else None,
                "mem_peak": max(x["mem_peak"] for x in rs),
                "offloaded_share": sum(max(x["offloaded"], 0) for x in rs) / bytes_ if bytes_ else 0,
                "verified": all(x.get("verified") is not False for x in rs),
            }
            for k in LAT:
                methods[m][k] = lat_median(rs, k)
        simple = methods.get("simple", methods.get("dd", methods.get("stock-kcopyd", {}))).get("mib_s")
        best = max((methods[m]["mib_s"] for m in USERSPACE if m in methods), default=None)
        for m in methods.values():
            m["x_simple"] = m["mib_s"] / simple if simple else None
            m["x_best"] = m["mib_s"] / best if best else None
        name = cell_name(unit, ranges, layout)
        if place.startswith("pvmove-"):
            name = "pvmove %dM" % (unit >> 20)
        elif place.startswith("cow-"):
            name = "4K random writes"
        out.append({"place": place, "unit": unit, "ranges": ranges, "layout": layout, "jobs": jobs,
                    "cell": name, "methods": methods})
    return out


def fmt(v, spec):
    return "-" if v is None else format(v, spec)


def table(cells):
    lines = []
    for place in PLACES:
        rows = [c for c in cells if c["place"] == place]
        if not rows:
            continue
        lines.append("")
        lines.append("### %s" % PLACE_NAMES[place])
        lines.append("")
        lines.append("| cell | jobs | method | MiB/s | x simple | x best user | p50 us | p99 us | p99.9 us "
                     "| net B/B | CPU s/GiB | engine peak KiB | offloaded | ok |")
        lines.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for c in rows:
            for m in METHODS:
                if m not in c["methods"]:
                    continue
                s = c["methods"][m]
                lines.append("| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                    c["cell"], c["jobs"], m, fmt(s["mib_s"], ".1f"),
                    fmt(s["x_simple"], ".2f"), fmt(s["x_best"], ".2f"),
                    fmt(s["lat_p50_us"], ".0f"), fmt(s["lat_p99_us"], ".0f"),
                    fmt(s["lat_p999_us"], ".0f"),
                    fmt(s["net_per_byte"], ".4f") if place != "local" else "",
                    fmt(s["cpu_s_per_gib"], ".2f"),
                    fmt(s["mem_peak"] / 1024 if s["mem_peak"] >= 0 else None, ".0f"),
                    "%.0f%%" % (100 * s["offloaded_share"]),
                    "yes" if s["verified"] else "NO"))
    return lines


def targets(cells):
    """The issue's targets, each: (text, met, figure)."""
    res = []

    def get(c, m):
        s = c["methods"].get(m)
        # a ratio to a method that did not run: no target to judge
        return s if s and s["x_simple"] is not None and s["x_best"] is not None else None

    for c in cells:
        name = "%s %s, %d job%s" % (c["place"], c["cell"], c["jobs"], "" if c["jobs"] == 1 else "s")
        off, emu, auto = get(c, "offload"), get(c, "emulate"), get(c, "auto")
        qc, qp = get(c, "qemu-img-C"), get(c, "qemu-img")
        rl, dd = get(c, "reflink"), get(c, "dd")
        kst, kco = get(c, "stock-kcopyd"), get(c, "copyoff-kcopyd")
        if off and c["place"] in ("xns-local", "xns-tcp1g"):
            same = next((x for x in cells if x["place"] == c["place"].replace("xns-", "xns-same-")
                         .replace("xns-same-local", "xns-same") and x["unit"] == c["unit"]
                         and x["ranges"] == c["ranges"] and x["jobs"] == c["jobs"]
                         and x["layout"] == c["layout"]), None)
            so = get(same, "offload") if same else None
            if so:
                r = off["mib_s"] / so["mib_s"]
                res.append(("%s: offload between namespaces >= 0.9x offload within one" % name,
                            r >= 0.9, "%.2fx" % r))
            if c["place"] == "xns-tcp1g" and off["net_per_byte"] is not None:
                res.append(("%s: offload between namespaces network bytes per byte < 0.03" % name,
                            off["net_per_byte"] < 0.03, "%.4f" % off["net_per_byte"]))
        # whole-volume moves: 10x the baseline at 1 Gb/s with <= 0.01 bytes on
        # the wire per byte, locally never slower
        for fast, base, place, what, than, net in (
                (kco, kst, "pvmove", "pvmove through copyoff", "stock kcopyd",
                 "pvmove network bytes per byte moved"),
                (off, dd, "lv", "LV clone by copyoff", "dd", "LV clone network bytes per byte")):
            if not (fast and base):
                continue
            r = fast["mib_s"] / base["mib_s"]
            if c["place"] == place + "-tcp1g":
                res.append(("%s: %s >= 10x %s" % (name, what, than), r >= 10, "%.2fx" % r))
                if fast["net_per_byte"] is not None:
                    res.append(("%s: %s <= 0.01" % (name, net), fast["net_per_byte"] <= 0.01,
                                "%.5f" % fast["net_per_byte"]))
            if c["place"] == place + "-local":
                res.append(("%s: %s not slower than %s" % (name, what, than), r >= 1, "%.2fx" % r))
        if rl and dd and c["place"] == "loop":
            r = rl["mib_s"] / dd["mib_s"]
            res.append(("%s: loop copy by reflink >= 100x dd" % name, r >= 100, "%.0fx" % r))
        if qc and qp:
            r = qc["mib_s"] / qp["mib_s"]
            if c["place"] == "tcp1g":
                res.append(("%s: qemu-img convert -C >= 10x plain qemu-img convert" % name, r >= 10, "%.2fx" % r))
            if c["place"] == "local":
                res.append(("%s: qemu-img convert -C not slower than plain" % name, r >= 1, "%.2fx" % r))
            if c["place"] != "local" and qc["net_per_byte"] is not None:
                res.append(("%s: qemu-img convert -C network bytes per byte <= 0.01" % name,
                            qc["net_per_byte"] <= 0.01, "%.5f" % qc["net_per_byte"]))
        if c["place"] == "tcp1g" and off:
            if c["unit"] == 2 << 20 and c["ranges"] == 16:
                res.append(("%s: offload >= 8x simple" % name, off["x_simple"] >= 8, "%.2fx" % off["x_simple"]))
            if c["unit"] == 8192 and c["jobs"] > 1:
                res.append(("%s: offload >= 2x simple" % name, off["x_simple"] >= 2, "%.2fx" % off["x_simple"]))
        if c["place"] == "tcp" and off:
            res.append(("%s: offload >= 1x simple" % name, off["x_simple"] >= 1, "%.2fx" % off["x_simple"]))
        if c["place"] in ("tcp", "tcp1g") and off and off["net_per_byte"] is not None:
            if c["unit"] == 8192:
                res.append(("%s: offload network bytes per byte < 0.03" % name,
                            off["net_per_byte"] < 0.03, "%.4f" % off["net_per_byte"]))
            if c["unit"] == 2 << 20 and c["ranges"] == 16:
                res.append(("%s: offload network bytes per byte < 0.001" % name,
                            off["net_per_byte"] < 0.001, "%.5f" % off["net_per_byte"]))
        if c["place"] == "local" and emu:
            res.append(("%s: emulation >= 1.0x simple" % name, emu["x_simple"] >= 1.0, "%.2fx" % emu["x_simple"]))
            res.append(("%s: emulation >= 0.9x best userspace" % name, emu["x_best"] >= 0.9, "%.2fx" % emu["x_best"]))
        if c["place"] == "local" and off and get(c, "raw"):
            r = off["mib_s"] / get(c, "raw")["mib_s"]
            res.append(("%s: offload within 10%% of raw passthrough Copy" % name, r >= 0.9, "%.2fx raw" % r))
        if c["place"] == "local" and c["unit"] == 8192:
            users = [c["methods"][m]["lat_p99_us"] for m in ("simple", "aio")
                     if m in c["methods"] and c["methods"][m]["lat_p99_us"]]
            for m, s in (("emulation", emu), ("offload", off)):
                if users and s and s["lat_p99_us"] is not None:
                    r = s["lat_p99_us"] / min(users)
                    res.append(("%s: %s p99 latency <= 1.2x the best userspace copy's" % (name, m),
                                r <= 1.2, "%.0f us, %.2fx" % (s["lat_p99_us"], r)))
        if auto and off and emu:
            b = max(off["mib_s"], emu["mib_s"])
            r = auto["mib_s"] / b
            res.append(("%s: auto within 10%% of the better of offload and emulation" % name,
                        r >= 0.9, "%.2fx" % r))
    return res


def chart(cells, path, title):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    places = [p for p in PLACES if any(c["place"] == p for c in cells)]
    # per placement: throughput, then the latency panel (p99 bars, p50 dots)
    fig, axes = plt.subplots(2 * len(places), 1, figsize=(15, 8.4 * len(places)), squeeze=False)
    colors = {"simple": "#9e9e9e", "aio": "#616161", "emulate": "#1f77b4", "offload": "#d62728",
              "auto": "#2ca02c", "raw": "#ff7f0e", "fio-emulate": "#aec7e8", "fio-offload": "#ff9896",
              "dd": "#bdbdbd", "qemu-img": "#8c564b", "qemu-img-C": "#e377c2",
              "reflink": "#17becf", "stock-kcopyd": "#7f7f7f", "copyoff-kcopyd": "#9467bd"}
    for k, place in enumerate(places):
        ax, lax = axes[2 * k, 0], axes[2 * k + 1, 0]
        rows = [c for c in cells if c["place"] == place]
        ms = [m for m in METHODS if any(m in c["methods"] for c in rows)]
        width = 0.8 / max(len(ms), 1)
        for i, m in enumerate(ms):
            xs = [k + i * width for k, c in enumerate(rows) if m in c["methods"]]
            ys = [c["methods"][m]["mib_s"] for c in rows if m in c["methods"]]
            ax.bar(xs, ys, width, label=m, color=colors.get(m))
        ax.set_xticks([k + 0.4 - width / 2 for k in range(len(rows))])
        ax.set_xticklabels(["%s\n%d job%s" % (c["cell"], c["jobs"], "" if c["jobs"] == 1 else "s") for c in rows])
        ax.set_yscale("log")
        ax.set_ylabel("MiB/s (log)")
        ax.set_title(PLACE_NAMES[place])
        ax.grid(axis="y", alpha=0.3)
        ax.legend(ncol=len(ms), fontsize=8, loc="upper left")
        for i, m in enumerate(ms):
            pts = [(k + i * width, c["methods"][m]) for k, c in enumerate(rows)
                   if m in c["methods"] and c["methods"][m]["lat_p99_us"]]
            lax.bar([x for x, _ in pts], [s["lat_p99_us"] for _, s in pts], width, label=m,
                    color=colors.get(m))
            p50 = [(x, s["lat_p50_us"]) for x, s in pts if s["lat_p50_us"]]
            lax.plot([x for x, _ in p50], [y for _, y in p50], "k.", markersize=4)
        lax.set_xticks(ax.get_xticks())
        lax.set_xticklabels(["%s\n%d job%s" % (c["cell"], c["jobs"], "" if c["jobs"] == 1 else "s")
                             for c in rows])
        lax.set_yscale("log")
        lax.set_ylabel("latency per operation, us (log)")
        lax.set_title("%s: p99 latency (bars), p50 (dots)" % PLACE_NAMES[place])
        lax.grid(axis="y", alpha=0.3)
    fig.suptitle(title)
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    fig.savefig(path, dpi=80)
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--machine", default="")
    ap.add_argument("--date", default="")
    ap.add_argument("--seconds", type=int, default=0)
    a = ap.parse_args()
    runs, failed = load(os.path.join(a.out, "runs.jsonl"))
    cells = summarize(runs)
    tg = targets(cells)
    head = ["# make bench, %s" % a.date, "",
            "Machine: %s. %d runs (%d failed), %d s in all. Medians of each cell's runs; "
            "x simple / x best user: throughput over the simple (pread+pwrite; dd in the clone "
            "cells, stock dm-kcopyd in the pvmove and cow cells) and over the best userspace copy, same cell; net B/B: bytes sent on the loopback "
            "interface per byte copied; CPU s/GiB: busy CPU seconds of the whole guest per GiB; "
            "engine peak: copyoff_core's memory high-water mark in the run; p50/p99/p99.9 us: "
            "latency of one operation, from its start to its end (median of the runs' percentiles; "
            "a clone or loop cell is one operation a run)." % (
                a.machine, len(runs) + len(failed), len(failed), a.seconds)]
    body = table(cells)
    tl = ["", "### Targets", ""]
    met = sum(1 for t in tg if t[1])
    tl.append("%d of %d met." % (met, len(tg)))
    tl.append("")
    for text, ok, fig in tg:
        tl.append("- %s %s: %s" % ("met" if ok else "MISSED", text, fig))
    if failed:
        tl += ["", "Failed runs:"] + ["- %s %s %s jobs %d" % (f["place"], f["method"],
                                                              cell_name(f["unit"], f["ranges"],
                                                                        f.get("layout", "spread")),
                                                              f["jobs"])
                                      for f in failed]
    text = "\n".join(head + body + tl) + "\n"
    with open(os.path.join(a.out, "table.md"), "w") as f:
        f.write(text)
    with open(os.path.join(a.out, "results.json"), "w") as f:
        json.dump({"date": a.date, "machine": a.machine, "seconds": a.seconds, "cells": cells,
                   "targets": [{"target": t[0], "met": t[1], "figure": t[2]} for t in tg],
                   "failed_runs": failed}, f, indent=1)
    if chart(cells, os.path.join(a.out, "chart.png"), "copyoff make bench, %s" % a.date):
        text += "\nChart: %s\n" % os.path.join(a.out, "chart.png")
    print(text)


if __name__ == "__main__":
    main()
