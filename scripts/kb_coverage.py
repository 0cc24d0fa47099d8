"""How many real participant needs the knowledge base helps with (issue 12): writes reports/kb-coverage.md.

Reads tests/eval/review_needs.yml (300 real JMO reviews, each labelled with its main need) and
tests/eval/review_needs_coverage.yml (for each need: the entries that help, a deliberate staff route, or
a gap), checks both against each other and against kb/content (every named entry must exist and be
active), checks the reviews' sha1s against the review CSV when it is present, and writes the figures
by main need. Run it again after adding entries and updating the coverage file:

    .venv/bin/python scripts/kb_coverage.py            # check and rewrite reports/kb-coverage.md
    .venv/bin/python scripts/kb_coverage.py --check    # only check; exit 1 if the report is stale

Review text is never written anywhere: only row numbers, needs and counts.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from collections import Counter
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
NEEDS_FILE = ROOT / "tests/eval/review_needs.yml"
COVERAGE_FILE = ROOT / "tests/eval/review_needs_coverage.yml"
KB_DIR = ROOT / "kb/content"
REPORT_FILE = ROOT / "reports/kb-coverage.md"
sys.path.insert(0, str(ROOT))
from core.settings import get_settings  # noqa: E402

REVIEWS_CSV = Path(get_settings().shared_dir) / "data/jmo-reviews-2025/ulasan_jmo_playstore.csv"

COVERED, STAFF, GAP = "entry", "staff", "gap"


def load_yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def kb_entries(kb_dir: Path) -> Dict[str, bool]:
    """Entry id -> active, over every kb/content/*.yml."""
    found: Dict[str, bool] = {}
    for path in sorted(kb_dir.glob("*.yml")):
        for entry in (load_yaml(path) or {}).get("entries") or []:
            found[entry["id"]] = bool(entry.get("active", True))
    return found


def kind_of(cover: dict) -> str:
    kinds = [k for k in ("entries", "route", "gap") if k in cover]
    if len(kinds) != 1:
        raise ValueError(f"needs exactly one of entries/route/gap, has {kinds or 'none'}")
    if kinds[0] == "entries":
        if not cover["entries"]:
            raise ValueError("empty entries")
        return COVERED
    if kinds[0] == "route":
        if cover["route"] != "staff":
            raise ValueError(f"unknown route {cover['route']!r}")
        return STAFF
    return GAP


def check(needs_doc: dict, coverage_doc: dict, entries: Dict[str, bool]) -> Tuple[Dict[str, str], List[str]]:
    """The kind of each need, and the problems found (empty when all is consistent)."""
    problems: List[str] = []
    catalogue = needs_doc.get("needs") or {}
    items = needs_doc.get("items") or []
    coverage = coverage_doc.get("needs") or {}
    rows = [item["row"] for item in items]
    if len(set(rows)) != len(rows):
        problems.append("review_needs.yml: a row appears twice")
    for item in items:
        for need in [item["need"], *(item.get("also") or [])]:
            if need not in catalogue:
                problems.append(f"row {item['row']}: need {need!r} is not in the catalogue")
    kinds: Dict[str, str] = {}
    for need in catalogue:
        if need not in coverage:
            problems.append(f"coverage: need {need!r} has no coverage decision")
            continue
        try:
            kinds[need] = kind_of(coverage[need])
        except ValueError as error:
            problems.append(f"coverage: {need}: {error}")
            continue
        for entry_id in [*(coverage[need].get("entries") or []), *(coverage[need].get("nearest") or [])]:
            if entry_id not in entries:
                problems.append(f"coverage: {need}: entry {entry_id!r} is not in kb/content")
            elif not entries[entry_id]:
                problems.append(f"coverage: {need}: entry {entry_id!r} is inactive")
    for need in coverage:
        if need not in catalogue:
            problems.append(f"coverage: {need!r} is not a need of review_needs.yml")
    return kinds, problems


def check_sha1s(items: List[dict], csv_path: Path) -> Tuple[int, List[str]]:
    """How many items were checked against the CSV, and the mismatches."""
    with csv_path.open(encoding="utf-8", newline="") as handle:
        texts = [record["review"] for record in csv.DictReader(handle)]
    problems = []
    for item in items:
        row = item["row"]
        if not 1 <= row <= len(texts):
            problems.append(f"row {row}: not in the CSV ({len(texts)} records)")
            continue
        digest = hashlib.sha1(texts[row - 1].encode("utf-8")).hexdigest()[:10]
        if digest != item["sha1"]:
            problems.append(f"row {row}: sha1 {digest} != {item['sha1']}")
    return len(items), problems


def pct(n: int, total: int) -> str:
    return f"{100.0 * n / total:.1f} %" if total else "-"


def cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def report(needs_doc: dict, coverage_doc: dict, kinds: Dict[str, str], sha1_note: str) -> str:
    catalogue = needs_doc["needs"]
    coverage = coverage_doc["needs"]
    items = needs_doc["items"]
    total = len(items)
    main = Counter(item["need"] for item in items)
    also = Counter(need for item in items for need in item.get("also") or [])
    by_kind = Counter()
    for need, count in main.items():
        by_kind[kinds[need]] += count

    def ordered(kind: str) -> List[str]:
        chosen = [n for n in catalogue if kinds.get(n) == kind and main[n]]
        return sorted(chosen, key=lambda n: (-main[n], n))

    gaps_with_nearest = sum(main[n] for n in ordered(GAP) if coverage[n].get("nearest"))
    lines = [
        "# Knowledge-base coverage of real participant needs",
        "",
        "Generated by `scripts/kb_coverage.py` from `tests/eval/review_needs.yml` and",
        "`tests/eval/review_needs_coverage.yml`; do not edit by hand, edit those files and run the script again.",
        "",
        "## Method",
        "",
        f"- **Sample**: {total} real 2025 JMO Play Store reviews (`/work/shared/data/jmo-reviews-2025`), drawn in a",
        "  seeded shuffle (`random.Random(20261206)`), skipping repeated texts and reviews that state no problem or",
        "  need. Each was read and labelled with its main need (and any further needs, `also`) before the knowledge",
        "  base or the training data were opened (stage 1, its own commit). Review text is not stored.",
        "- **Coverage** (stage 2): for every need, the entries whose *answer* addresses it (tells the participant what",
        "  to do or routes them correctly), or `staff` when only staff can act and the assistant deliberately routes",
        "  it to a ticket (complaint / hand-off, or the staff offer with an account-topic answer), or a gap. An entry of",
        "  the same area whose answer does not address the need does not count (it is listed as *nearest*).",
        f"- **Check**: {sha1_note}",
        "",
        "## Figures (by main need)",
        "",
        "| | reviews | share |",
        "|---|---:|---:|",
        f"| a helping entry | {by_kind[COVERED]} | {pct(by_kind[COVERED], total)} |",
        f"| deliberate staff route | {by_kind[STAFF]} | {pct(by_kind[STAFF], total)} |",
        f"| gap | {by_kind[GAP]} | {pct(by_kind[GAP], total)} |",
        f"| **total** | **{total}** | 100 % |",
        "",
        f"{len([n for n in catalogue if main[n]])} distinct main needs ({len(catalogue)} in the catalogue, counting needs "
        f"that occur only as `also`). Of the gap reviews, {gaps_with_nearest} have a *nearest* entry of the same area "
        f"whose answer does not address the need; counting those as helped would give "
        f"{pct(by_kind[COVERED] + gaps_with_nearest, total)} instead of {pct(by_kind[COVERED], total)}.",
        "",
        "## Gaps, by number of reviews",
        "",
        "| need | reviews | what a new entry should cover | candidate sources | nearest entry (does not address it) |",
        "|---|---:|---|---|---|",
    ]
    for need in ordered(GAP):
        cover = coverage[need]
        sources = "; ".join(cover.get("sources") or []) or "no source found"
        nearest = ", ".join(f"`{e}`" for e in cover.get("nearest") or []) or "-"
        lines.append(f"| `{need}`: {cell(catalogue[need])} | {main[need]} | {cell(cover['gap'])} | {cell(sources)} | "
                     f"{nearest} |")
    noted = [n for n in ordered(GAP) if coverage[n].get("note")]
    if noted:
        lines += ["", "Notes on the gaps:", ""]
        lines += [f"- `{n}`: {cell(coverage[n]['note'])}" for n in noted]
    lines += ["", "## Deliberate staff routes", "", "| need | reviews | why staff |", "|---|---:|---|"]
    for need in ordered(STAFF):
        lines.append(f"| `{need}`: {cell(catalogue[need])} | {main[need]} | {cell(coverage[need].get('note', ''))} |")
    lines += ["", "## Needs with a helping entry", "", "| need | reviews | entries | note |", "|---|---:|---|---|"]
    for need in ordered(COVERED):
        cover = coverage[need]
        entries = ", ".join(f"`{e}`" for e in cover["entries"])
        lines.append(f"| `{need}` | {main[need]} | {entries} | {cell(cover.get('note', ''))} |")
    also_gaps = sorted((n for n in also if kinds.get(n) == GAP), key=lambda n: (-also[n], n))
    lines += [
        "",
        "## Further needs (`also`)",
        "",
        f"{sum(also.values())} further needs in {sum(1 for i in items if i.get('also'))} reviews; "
        + ("gaps among them: " + ", ".join(f"`{n}` ({also[n]})" for n in also_gaps) + "."
           if also_gaps else "none of them is a gap."),
        "",
    ]
    return "\n".join(lines)


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--needs", type=Path, default=NEEDS_FILE)
    parser.add_argument("--coverage", type=Path, default=COVERAGE_FILE)
    parser.add_argument("--kb", type=Path, default=KB_DIR)
    parser.add_argument("--csv", type=Path, default=REVIEWS_CSV)
    parser.add_argument("--out", type=Path, default=REPORT_FILE)
    parser.add_argument("--check", action="store_true", help="only check; exit 1 if the report is not up to date")
    args = parser.parse_args(argv)

    needs_doc, coverage_doc = load_yaml(args.needs), load_yaml(args.coverage)
    kinds, problems = check(needs_doc, coverage_doc, kb_entries(args.kb))
    if args.csv.exists():
        checked, sha1_problems = check_sha1s(needs_doc["items"], args.csv)
        problems += sha1_problems
        sha1_note = f"all {checked} rows' sha1s match the review CSV." if not sha1_problems else \
            f"{len(sha1_problems)} of {checked} sha1s differ from the review CSV."
    else:
        sha1_note = f"the review CSV ({args.csv}) was not present, so the sha1s were not checked."
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1
    text = report(needs_doc, coverage_doc, kinds, sha1_note)
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is out of date: run scripts/kb_coverage.py", file=sys.stderr)
            return 1
        print("coverage files consistent; report up to date")
        return 0
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
