"""Presenters only format: the reads are the selectors' (``ratings.selectors``, on the
embargo gate) and the national summary's, so a presenter, and the reports' assembly built
on the presenters, builds no query of its own. The embargo lint
(``test_embargo_lint.py``) keeps embargoed models out of every public module; this keeps
every model's manager and queryset out of these."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.nodb

ROOT = Path(__file__).resolve().parents[1]
MODULES = sorted((ROOT / "ratings" / "presenters").glob("*.py")) + [ROOT / "reports/assembly.py"]
MANAGERS = {"objects", "_default_manager", "_base_manager"}
QUERYSET_METHODS = {
    "filter",
    "exclude",
    "annotate",
    "aggregate",
    "values",
    "values_list",
    "select_related",
    "prefetch_related",
    "order_by",
    "raw",
    "extra",
    "cursor",
}


def queries(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in MANAGERS:
            found.append(f"line {node.lineno}: reads a manager (.{node.attr})")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in QUERYSET_METHODS
        ):
            found.append(f"line {node.lineno}: builds a query (.{node.func.attr}())")
        elif isinstance(node, ast.ImportFrom) and node.module == "django.db":
            found.append(f"line {node.lineno}: imports django.db")
    return found


def test_the_check_finds_queries():
    assert queries("Domain.objects.all()")
    assert queries("rows = council.memberships.filter(year=2004)")
    assert queries("from django.db import connection")
    assert queries("selectors.current_ratings(now).values_list('stars', flat=True)")
    assert queries("averages.get(pk, {})\nrules.consequences(stars)") == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_presenters_build_no_query(path):
    found = queries(path.read_text(encoding="utf-8"))
    assert not found, f"{path.relative_to(ROOT)} queries the database itself:\n" + "\n".join(found)
