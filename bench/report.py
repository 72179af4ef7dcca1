#!/usr/bin/env python3
"""A straightforward Python (tomllib) computation of the same compliance
table as `kehoach report --year all --format json` — rows with
`not_reported`, and `ongoing` (spec version 2: group leads §11, ongoing
tasks §12) — written apart from the Rust code, for comparison.

    python3 bench/report.py PLAN_DIR AS_OF
"""
import calendar
import datetime as dt
import json
import pathlib
import sys
import tomllib


def load(path):
    with open(path, "rb") as f:
        return tomllib.load(f)


def clamp(y, m, d):
    return dt.date(y, m, min(d, calendar.monthrange(y, m)[1]))


def occurrences(due, first, last):
    """(label, year, deadline or None) for each period of a `due`."""
    if isinstance(due, dt.date):
        return [(str(due.year), due.year, due)]
    if due in ("ongoing", "on_request"):
        return [(str(y), y, None) for y in range(first, last + 1)]
    a, b = due.get("first_year", first), due.get("last_year", last)
    out = []
    for y in range(a, b + 1):
        e, on = due["every"], due.get("on")
        if e in ("ongoing", "on_request"):
            out.append((str(y), y, None))
        elif e == "year":
            m, d = map(int, on.split("-"))
            out.append((str(y), y, clamp(y, m, d)))
        elif e == "half-year":
            out += [(f"{y}-H1", y, clamp(y, 6, on)), (f"{y}-H2", y, clamp(y, 12, on))]
        elif e == "quarter":
            out += [(f"{y}-Q{q}", y, clamp(y, q * 3, on)) for q in range(1, 5)]
        else:
            out += [(f"{y}-{m:02}", y, clamp(y, m, on)) for m in range(1, 13)]
    return out


def on_request(task):
    """Whether a task is done only when asked: its occurrences have no
    deadline until a request's `new_due` gives them one."""
    due = task["due"]
    return due == "on_request" or (isinstance(due, dict) and due.get("every") == "on_request")


def plan_occurrences(root, as_of):
    """The plan in `root` and each of its occurrences as of `as_of`, in the
    plan's order (task by task, period by period, member by member):
    (plan, agencies, each), where `each` yields (task, label, year, d0,
    lead, updates dated on or before `as_of` in order, deadline in force:
    None for an ongoing task, and for one done on request until asked)."""
    plan = load(root / "plan.toml")
    agencies = load(root / "agencies.toml")["agency"]
    by_code = {a["code"]: a for a in agencies}
    files = ([root / "tasks.toml"] if (root / "tasks.toml").exists() else []) + sorted((root / "tasks").rglob("*.toml"))
    tasks = {}
    for f in files:
        for t in load(f).get("task", []):
            tasks[t["id"]] = (t, occurrences(t["due"], plan["first_year"], plan["last_year"]))
    # Updates by (task, period, member); files in byte order of their path.
    history = {}
    progress = sorted((root / "progress").rglob("*.toml"), key=lambda p: str(p.relative_to(root)).encode())
    for f in progress:
        for u in load(f).get("update", []):
            t, occ = tasks[u["task"]]
            label = u.get("period", occ[0][0])
            history.setdefault((u["task"], label, u.get("agency")), []).append(u)

    def each():
        for tid, (t, occ) in tasks.items():
            members = by_code[t["lead"]].get("members")
            leads = [(m, m) for m in members] if members else [(t["lead"], None)]
            for label, year, d0 in occ:
                for lead, member in leads:
                    # sorted() is stable: same-date updates keep load order.
                    ups = sorted([u for u in history.get((tid, label, member), []) if u["date"] <= as_of],
                                 key=lambda u: u["date"])
                    deadline = d0
                    for u in ups:
                        if "new_due" in u:
                            deadline = u["new_due"]
                    yield t, label, year, d0, lead, ups, deadline

    return plan, agencies, each()


def successor_at(by_code, agency, day):
    """§9: follow successors while the agency ceased before `day`."""
    while by_code[agency].get("until") and by_code[agency]["until"] < day:
        agency = by_code[agency]["successor"]
    return agency


def classify(ups, deadline, as_of):
    """§6: the class of an occurrence with a deadline."""
    status = ups[-1]["status"] if ups else "not_started"
    if status == "cancelled":
        return "cancelled"
    if status == "done":
        i = len(ups) - 1
        while i > 0 and ups[i - 1]["status"] == "done":
            i -= 1
        return "done_on_time" if ups[i]["date"] <= deadline else "done_late"
    return "in_progress" if as_of <= deadline else "overdue"


def main():
    root = pathlib.Path(sys.argv[1])
    as_of = dt.date.fromisoformat(sys.argv[2])
    plan, agencies, each = plan_occurrences(root, as_of)
    order = {a["code"]: i for i, a in enumerate(agencies)}
    by_code = {a["code"]: a for a in agencies}
    counts = {}
    ongoing = {}
    for t, label, year, d0, lead, ups, deadline in each:
        at = deadline if deadline is not None else dt.date(year, 12, 31)
        agency = successor_at(by_code, lead, at)
        if deadline is None and on_request(t):
            continue  # not asked for: nothing owed
        if deadline is None:
            o = ongoing.setdefault((year, agency), {"assigned": 0, "reported": 0})
            o["assigned"] += 1
            o["reported"] += 1 if ups else 0
            continue
        c = classify(ups, deadline, as_of)
        row = counts.setdefault((year, agency), dict.fromkeys(
            ["assigned", "done_on_time", "done_late", "in_progress", "overdue", "cancelled",
             "not_reported"], 0))
        row["assigned"] += 1
        row[c] += 1
        row["not_reported"] += 0 if ups else 1
    key = lambda kv: (kv[0][0], order[kv[0][1]])
    rows = []
    for (year, agency), r in sorted(counts.items(), key=key):
        due = r["done_on_time"] + r["done_late"] + r["overdue"]
        rows.append({"year": year, "agency": agency, **r,
                     "on_time_rate": r["done_on_time"] / due if due else None,
                     "completion_rate": (r["done_on_time"] + r["done_late"]) / due if due else None})
    ongoing_rows = [{"year": year, "agency": agency, **o} for (year, agency), o in sorted(ongoing.items(), key=key)]
    json.dump({"plan": plan["id"], "as_of": str(as_of), "rows": rows, "ongoing": ongoing_rows}, sys.stdout)


if __name__ == "__main__":
    main()
