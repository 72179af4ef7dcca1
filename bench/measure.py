#!/usr/bin/env python3
"""Times whole commands against the parse floor, alternating the commands
run by run so that a drifting machine affects them alike, and reports
medians of wall time and of peak memory (GNU time's maximum RSS).

Rows per plan size:
  floor        examples/floor: parse every file into typed structs, keep all
  floor --drop the same, each file dropped once parsed (the lowest cost)
  cold         report --year all with an empty parse cache (fills it)
  no cache     report --year all --no-cache
  warm         report --year all, nothing changed since the last run
  after record report --year all right after one `kehoach record`
  due, tasks   due / tasks --status overdue (warm), whole output to /dev/null
  the other reading commands, warm: tasks (every occurrence), show TASK,
               indicators, agencies, check

and a summary of every reading command against the warm report: time and
peak memory (the targets: at most 1.5x its time, 2x its memory).

    python3 bench/measure.py RUNS CACHE_DIR NAME=DIR:TASK[:PERIOD] ...

TASK is the task `show` shows; with PERIOD, an occurrence `record` can
update in DIR (the file it appends to is restored after each run).
"""
import os
import shutil
import statistics
import subprocess
import sys
import time

K = "target/release/kehoach"
FLOOR = "target/release/examples/floor"


def run(cmd, env=None):
    start = time.perf_counter()
    out = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True, env=env)
    wall = time.perf_counter() - start
    if out.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{out.stderr}")
    return wall, int(out.stderr.strip().splitlines()[-1]) / 1024


def snapshot(d):
    """Every progress file's bytes, to undo what `record` appends."""
    files = {}
    for r, _, fs in os.walk(os.path.join(d, "progress")):
        for f in fs:
            p = os.path.join(r, f)
            with open(p, "rb") as fh:
                files[p] = fh.read()
    return files


def restore(d, files):
    for r, _, fs in os.walk(os.path.join(d, "progress")):
        for f in fs:
            p = os.path.join(r, f)
            if p not in files:
                os.remove(p)
    for p, b in files.items():
        with open(p, "rb") as fh:
            if fh.read() == b:
                continue
        with open(p, "wb") as fh:
            fh.write(b)


def main():
    runs = int(sys.argv[1])
    cache = sys.argv[2]
    env = dict(os.environ, KEHOACH_CACHE_DIR=cache)
    env.pop("KEHOACH_NO_CACHE", None)
    rows = []
    for arg in sys.argv[3:]:
        name, spec = arg.split("=", 1)
        d, task, period = (spec.split(":") + [None, None])[:3]
        files = [os.path.join(r, f) for r, _, fs in os.walk(d) for f in fs if f.endswith(".toml")]
        size = sum(os.path.getsize(f) for f in files) / 1e6
        report = [K, "--plan", d, "report", "--year", "all", "--format", "json", "--as-of", "2026-01-01"]
        cmds = {
            "floor": [FLOOR, d],
            "floor --drop": [FLOOR, d, "--drop"],
            "cold": report,
            "no cache": report[:3] + ["--no-cache"] + report[3:],
            "warm": report,
            "due": [K, "--plan", d, "due", "--as-of", "2025-06-01"],
            "tasks": [K, "--plan", d, "tasks", "--status", "overdue", "--as-of", "2025-06-01"],
            "tasks, all": [K, "--plan", d, "tasks", "--as-of", "2025-06-01"],
            "show": [K, "--plan", d, "show", task or "", "--as-of", "2025-06-01"],
            "indicators": [K, "--plan", d, "indicators", "--as-of", "2025-06-01"],
            "agencies": [K, "--plan", d, "agencies"],
            "check": [K, "--plan", d, "check"],
        }
        if period:
            cmds["after record"] = report
        record = [K, "--plan", d, "record", task or "", "--period", period or "", "--status", "in_progress",
                  "--date", "2025-12-01", "--by", "bench"]
        original = snapshot(d)
        shutil.rmtree(cache, ignore_errors=True)
        for c in cmds.values():  # warm the page cache and the parse cache
            run(c, env)
        wall = {k: [] for k in cmds}
        mem = {k: [] for k in cmds}
        for _ in range(runs):
            for k, c in cmds.items():
                if k == "cold":
                    shutil.rmtree(cache, ignore_errors=True)
                if k == "after record":
                    restore(d, original)
                    run(report, env)
                    run(record, env)
                w, m = run(c, env)
                wall[k].append(w)
                mem[k].append(m)
                if k == "cold":
                    # The cache files a cold run writes (60 MB at L) are
                    # flushed to disk by the system seconds later: on its
                    # own time, not on the commands timed next.
                    os.sync()
        restore(d, original)
        run(report, env)
        med = {k: statistics.median(v) for k, v in wall.items()}
        mm = {k: statistics.median(v) for k, v in mem.items()}
        rows.append((name, len(files), size, med, mm))
    print("| size | files | MB | floor s | floor --drop s | command | s | × floor --drop | peak MiB |")
    print("|---|---:|---:|---:|---:|---|---:|---:|---:|")
    for name, n, size, med, mm in rows:
        for k in [k for k in med if not k.startswith("floor")]:
            print(f"| {name} | {n:,} | {size:.1f} | {med['floor']:.3f} | {med['floor --drop']:.3f} | {k} | "
                  f"{med[k]:.3f} | {med[k] / med['floor --drop']:.2f}× | {mm[k]:.0f} |")
    print()
    print("| size | due ÷ warm report | tasks ÷ warm report | due peak ÷ report peak | tasks peak ÷ report peak |")
    print("|---|---:|---:|---:|---:|")
    for name, _, _, med, mm in rows:
        print(f"| {name} | {med['due'] / med['warm']:.2f}× | {med['tasks'] / med['warm']:.2f}× | "
              f"{mm['due'] / mm['cold']:.2f}× | {mm['tasks'] / mm['cold']:.2f}× |")
    print()
    print("Every reading command, warm, against the warm report (time) and the cold one (peak):")
    print()
    reading = ["due", "tasks", "tasks, all", "show", "indicators", "agencies", "check"]
    print("| size | " + " | ".join(reading) + " |")
    print("|---|" + "---:|" * len(reading))
    for name, _, _, med, mm in rows:
        cells = [f"{med[k] / med['warm']:.2f}× / {mm[k] / mm['cold']:.2f}×" for k in reading]
        print(f"| {name} | " + " | ".join(cells) + " |")


main()
