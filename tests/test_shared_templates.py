"""The council page and the council report, and the national summary and the national report,
draw what they have in common from one set of section templates (``templates/sections/``):
no template of one side of a pair repeats a run of ten lines of the other side's.

Each side is its top-level templates and the includes only it uses; the includes both
sides use (the sections, the stars, the breadcrumbs) are where the common markup belongs.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.nodb

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
LONGEST_SHARED_RUN = 9  # stripped non-blank lines; ten would be a repeat

PAIRS = {
    "council": (
        ["ratings/council.html"],
        ["reports/council_report.html", "reports/council_report_page.html"],
    ),
    "national": (
        ["ratings/national_summary.html"],
        ["reports/national_report.html"],
    ),
}

_INCLUDE = re.compile(r"""{%\s*include\s+["']([^"']+)["']""")


def _includes(names: list[str]) -> set[str]:
    """Every template that ``names`` include, directly or through another include."""
    found: set[str] = set()
    todo = list(names)
    while todo:
        for included in _INCLUDE.findall((TEMPLATES / todo.pop()).read_text(encoding="utf-8")):
            if included not in found:
                found.add(included)
                todo.append(included)
    return found


def _sides(kind: str) -> tuple[list[str], list[str], set[str]]:
    """The page's own templates, the report's own templates, and what both include."""
    page, report = PAIRS[kind]
    page_includes, report_includes = _includes(page), _includes(report)
    shared = page_includes & report_includes
    return (
        page + sorted(page_includes - shared),
        report + sorted(report_includes - shared),
        shared,
    )


def _lines(name: str) -> list[str]:
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


def longest_shared_run(a: list[str], b: list[str]) -> int:
    """The length of the longest run of consecutive lines that stands in both ``a`` and
    ``b``."""
    longest = 0
    previous = [0] * (len(b) + 1)
    for line in a:
        current = [0] * (len(b) + 1)
        for j, other in enumerate(b, start=1):
            if line == other:
                current[j] = previous[j - 1] + 1
                longest = max(longest, current[j])
        previous = current
    return longest


def test_longest_shared_run():
    assert longest_shared_run(["a", "b", "c", "d"], ["x", "b", "c", "y", "d"]) == 2
    assert longest_shared_run(["a"], ["b"]) == 0
    assert longest_shared_run(list("abcdefghijkl"), list("zabcdefghijklz")) == 12


@pytest.mark.parametrize("kind", PAIRS)
def test_the_page_and_the_report_repeat_no_run_of_ten_lines(kind):
    page, report, _ = _sides(kind)
    repeats = []
    for page_template in page:
        for report_template in report:
            run = longest_shared_run(_lines(page_template), _lines(report_template))
            if run > LONGEST_SHARED_RUN:
                repeats.append(f"{page_template} ~ {report_template}: {run} lines")
    assert not repeats, "put the common markup in templates/sections/:\n" + "\n".join(repeats)


@pytest.mark.parametrize("kind", PAIRS)
def test_every_section_template_serves_both_the_page_and_the_report(kind):
    *_, shared = _sides(kind)
    sections = {
        path.relative_to(TEMPLATES).as_posix()
        for path in (TEMPLATES / "sections" / kind).glob("*.html")
    }
    assert sections, f"no section templates for the {kind} page and report"
    assert sections <= shared, sorted(sections - shared)
    # One stars include for the pages, the tables and the reports.
    assert "includes/_stars.html" in shared
    assert list(TEMPLATES.rglob("*stars*.html")) == [TEMPLATES / "includes" / "_stars.html"]
