#!/usr/bin/env python3
"""Times whole commands against the parse floor, alternating the commands
run by run so that a drifting machine affects them alike, and reports
medians of wall time and of peak memory (GNU time's maximum RSS).

    python3 bench/measure.py RUNS NAME=DIR [NAME=DIR ...]
"""
import os
import statistics
import subprocess
import sys
import time

K = "target/release/kehoach"
FLOOR = "target/release/examples/floor"


def run(cmd):
    start = time.perf_counter()
    out = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True, check=True)
    wall = time.perf_counter() - start
    return wall, int(out.stderr.strip().splitlines()[-1]) / 1024


def main():
    runs = int(sys.argv[1])
    print("| size | files | MB | floor s | report --year all s | ratio | check s | due s | floor MiB | kehoach MiB | ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for arg in sys.argv[2:]:
        name, d = arg.split("=", 1)
        files = [os.path.join(r, f) for r, _, fs in os.walk(d) for f in fs if f.endswith(".toml")]
        size = sum(os.path.getsize(f) for f in files) / 1e6
        cmds = {
            "floor": [FLOOR, d],
            "report": [K, "--plan", d, "report", "--year", "all", "--format", "json", "--as-of", "2026-01-01"],
            "check": [K, "--plan", d, "check"],
            "due": [K, "--plan", d, "due", "--as-of", "2025-06-01"],
        }
        for c in cmds.values():  # warm the page cache
            run(c)
        wall = {k: [] for k in cmds}
        mem = {k: [] for k in cmds}
        for _ in range(runs):
            for k, c in cmds.items():
                w, m = run(c)
                wall[k].append(w)
                mem[k].append(m)
        med = {k: statistics.median(v) for k, v in wall.items()}
        mm = {k: statistics.median(v) for k, v in mem.items()}
        print(f"| {name} | {len(files)} | {size:.1f} | {med['floor']:.3f} | {med['report']:.3f} | "
              f"{med['report'] / med['floor']:.2f}× | {med['check']:.3f} | {med['due']:.3f} | "
              f"{mm['floor']:.0f} | {mm['report']:.0f} | {mm['report'] / mm['floor']:.2f}× |", flush=True)


main()
