#!/usr/bin/env python3
"""A straightforward Python (tomllib) computation of the same rows as
`kehoach indicators --format json` (spec §8: an indicator's value for a
year is its last measurement dated on or before the as-of date; its state
`no_target`, `no_data`, `met` or `not_met`) — written apart from the Rust
code, for comparison.

    python3 bench/indicators.py PLAN_DIR AS_OF
"""
import datetime as dt
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from report import load  # noqa: E402


def main():
    root = pathlib.Path(sys.argv[1])
    as_of = dt.date.fromisoformat(sys.argv[2])
    plan = load(root / "plan.toml")
    path = root / "indicators.toml"
    indicators = load(path).get("indicator", []) if path.exists() else []
    # Measurements in load order (files in byte order of their path), then
    # by date: the last one dated on or before the as-of date counts.
    measures = {}
    progress = sorted((root / "progress").rglob("*.toml"), key=lambda p: str(p.relative_to(root)).encode())
    for f in progress:
        for m in load(f).get("measure", []):
            measures.setdefault((m["indicator"], m["year"]), []).append(m)
    rows = []
    for year in range(plan["first_year"], plan["last_year"] + 1):
        for ind in indicators:
            kind = ind.get("kind", "at_least")
            target = ind.get("target", ind.get("targets", {}).get(str(year)))
            seen = sorted([m for m in measures.get((ind["id"], year), []) if m["date"] <= as_of],
                          key=lambda m: m["date"])
            value = seen[-1]["value"] if seen else None
            if target is None:
                state = "no_target"
            elif value is None:
                state = "no_data"
            elif (value >= target) if kind == "at_least" else (value <= target):
                state = "met"
            else:
                state = "not_met"
            rows.append({
                "year": year,
                "indicator": ind["id"],
                "agency": ind["lead"],
                "unit": ind["unit"],
                "target": None if target is None else float(target),
                "value": None if value is None else float(value),
                "state": state,
                "kind": kind,
                "title": ind["title"],
            })
    json.dump({"plan": plan["id"], "as_of": str(as_of), "rows": rows}, sys.stdout, ensure_ascii=False)


main()
