#!/usr/bin/env python3
"""A straightforward Python (tomllib) computation of the same list as
`kehoach tasks --format json` (every occurrence with its class, the agency
answerable at its deadline, its completion date and last update; spec §6,
§9, §11, §12) — written apart from the Rust code, for comparison. Shares
bench/report.py's reading of the plan and its status rules.

    python3 bench/tasks.py PLAN_DIR AS_OF [--status STATUS] [--agency CODE]...
"""
import datetime as dt
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from report import classify, load, on_request, plan_occurrences, successor_at  # noqa: E402


def options(args):
    """`--status S` and every `--agency A` of `args`."""
    status, codes = None, []
    for flag, value in zip(args[::2], args[1::2]):
        if flag == "--status":
            status = value
        elif flag == "--agency":
            codes.append(value)
    return status, codes


def selected(by_code, codes):
    """The agencies `--agency` names: an agency, or a group's members."""
    out = set()
    for code in codes:
        out.update(by_code[code].get("members") or [code])
    return out


def main():
    root = pathlib.Path(sys.argv[1])
    as_of = dt.date.fromisoformat(sys.argv[2])
    wanted, codes = options(sys.argv[3:])
    plan, agencies, each = plan_occurrences(root, as_of)
    by_code = {a["code"]: a for a in agencies}
    keep = selected(by_code, codes)
    groups = {g["id"] for g in load(root / "plan.toml").get("group", [])}
    out = []
    for t, label, year, d0, lead, ups, deadline in each:
        at = deadline if deadline is not None else dt.date(year, 12, 31)
        if deadline is None:
            status = "on_request" if on_request(t) else "ongoing"
        else:
            status = classify(ups, deadline, as_of)
        if wanted and status != wanted:
            continue
        if keep and successor_at(by_code, lead, at) not in keep:
            continue
        progress = ups[-1]["status"] if ups else "not_started"
        completed = None
        if progress == "done":
            i = len(ups) - 1
            while i > 0 and ups[i - 1]["status"] == "done":
                i -= 1
            completed = str(ups[i]["date"])
        last = ups[-1] if ups else None
        item = {
            "task": t["id"],
            "period": label,
            "year": year,
            "group": t["group"] if t["group"] in groups else None,
            "title": t["title"],
            "lead": successor_at(by_code, lead, at),
        }
        # The agency it was assigned to: a group's member, or one a
        # successor took it over from.
        if by_code[t["lead"]].get("members") or item["lead"] != lead:
            item["assigned_to"] = lead
        item.update({
            "deadline": None if deadline is None else str(deadline),
            "original_deadline": None if d0 is None else str(d0),
            "status": status,
            "progress": progress,
            "not_reported": not ups,
            "completed": completed,
            "last_update": None if last is None else {
                "date": str(last["date"]),
                "status": last["status"],
                "percent": last.get("percent"),
                "by": last.get("by"),
                "evidence": last.get("evidence"),
                "note": last.get("note"),
            },
        })
        out.append(item)
    json.dump({"plan": plan["id"], "as_of": str(as_of), "occurrences": out}, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
