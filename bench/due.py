#!/usr/bin/env python3
"""A straightforward Python (tomllib) computation of the same list as
`kehoach due --format json` (spec §9: what is overdue, what falls due
within the horizon, and ongoing tasks not yet reported this year, under
the agency responsible on the as-of date) — written apart from the Rust
code, for comparison. Shares bench/report.py's reading of the plan and
its status rules (§6), themselves checked against the Rust report.

    python3 bench/due.py PLAN_DIR AS_OF [WITHIN_DAYS] [--agency CODE]...
"""
import datetime as dt
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from report import classify, on_request, plan_occurrences, successor_at  # noqa: E402
from tasks import options, selected  # noqa: E402


def main():
    root = pathlib.Path(sys.argv[1])
    as_of = dt.date.fromisoformat(sys.argv[2])
    within = int(sys.argv[3]) if len(sys.argv) > 3 else 30
    _, codes = options(sys.argv[4:])
    horizon = as_of + dt.timedelta(days=within)
    plan, agencies, each = plan_occurrences(root, as_of)
    order = {a["code"]: i for i, a in enumerate(agencies)}
    by_code = {a["code"]: a for a in agencies}
    keep = selected(by_code, codes)
    found = []
    for n, (t, label, year, d0, lead, ups, deadline) in enumerate(each):
        if deadline is None:
            # An ongoing task: listed once a year until someone reports;
            # one done on request: not until asked.
            if ups or year != as_of.year or on_request(t):
                continue
            kind, days = "ongoing", None
        else:
            c = classify(ups, deadline, as_of)
            if c == "overdue":
                kind = "overdue"
            elif c == "in_progress" and deadline <= horizon:
                kind = "due_soon"
            else:
                continue
            days = (deadline - as_of).days
        now = successor_at(by_code, lead, as_of)
        # `--agency`: who must act now, or who answers for it at its
        # deadline (31 December of its year for an ongoing task).
        at = deadline if deadline is not None else dt.date(year, 12, 31)
        if keep and now not in keep and successor_at(by_code, lead, at) not in keep:
            continue
        item = {
            "agency": now,
            "task": t["id"],
            "period": label,
            "year": year,
            "title": t["title"],
            "assigned_to": lead,
            "deadline": None if deadline is None else str(deadline),
            "original_deadline": None if d0 is None else str(d0),
            "days": days,
            "kind": kind,
            "not_reported": not ups,
        }
        # By agency (agencies.toml order), those with a deadline first, by
        # deadline, then in the plan's order.
        found.append(((order[now], deadline is None, days or 0, n), item))
    found.sort(key=lambda f: f[0])
    items = [item for _, item in found]
    counts = {
        "overdue": sum(i["kind"] == "overdue" for i in items),
        "overdue_not_reported": sum(i["kind"] == "overdue" and i["not_reported"] for i in items),
        "due_soon": sum(i["kind"] == "due_soon" for i in items),
        "ongoing_not_reported": sum(i["kind"] == "ongoing" for i in items),
        "total": len(items),
    }
    json.dump({"plan": plan["id"], "as_of": str(as_of), "within": within, "counts": counts, "items": items},
              sys.stdout, ensure_ascii=False)


main()
