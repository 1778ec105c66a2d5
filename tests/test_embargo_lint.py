"""The embargo is decided in one place: a lint over the public side's source.

Every module of ``ratings/``, ``api/``, ``reports/``, ``portal/`` and ``alerts/`` is
public-facing unless :data:`NOT_PUBLIC` names it with a reason, so a new module is checked
by default.
A public module must get rounds and ratings from the gate (``ratings.embargo``) or the
selectors built on it. It fails here if it

- tests a publication field itself: a lookup (``publication_at__lte=``), a comparison
  (``round.publication_at <= now``), a fallback (``rating.published_at or ...``), an
  expression (``F("published_at")``) or SQL text naming one, or a round's scheduled
  status (``RoundStatus.SCHEDULED``);
- reads an embargoed model's manager directly (``Rating.objects``,
  ``round.indicator_values.filter(...)``); only the selectors, which start every query
  from the gate's predicates, may. ``.objects.none()`` reads nothing and is allowed.

In the spirit of NHS England's breast screening service, whose tests lint its views for
queries that are not scoped to the user's organisation.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.nodb

ROOT = Path(__file__).resolve().parents[1]
APPS = ("ratings", "api", "reports", "portal", "alerts")
NOT_PUBLIC = {
    # The gate itself.
    "ratings/embargo.py": "the embargo gate: the one place that tests publication fields",
    # The domain: writes and staff-side reads, never served to the public as they are.
    "ratings/signals.py": "the domain's announcements",
    "ratings/rules.py": "the rules engine: pure, no data",
    "ratings/vocabulary.py": "parsing words, no data",
    "ratings/banding.py": "indicator bands, no data",
    "ratings/councils.py": "council name matching (reference data, not embargoed)",
    "ratings/methodology.py": "the methodology document, no ratings",
    "ratings/reference_data.py": "loads reference data (not embargoed)",
    "ratings/bundled_data.py": "loads the bundled data through the imports",
    "ratings/admin.py": "staff only (administrators)",
    "ratings/apps.py": "wiring",
    "reports/models.py": "the stored files' schema",
    "reports/tasks.py": "builds ahead of publication, for the moment of publication",
    "portal/tasks.py": "renders pages ahead of publication, for the moment of publication",
    "portal/settings.py": "settings",
    "portal/test_settings.py": "settings",
    "portal/wsgi.py": "wiring",
    "portal/apps.py": "wiring",
}
NOT_PUBLIC_FOLDERS = {
    "ratings/models/": "the schema (AssessmentRound.is_published asks the gate)",
    "ratings/services/": "the domain's writes (ratings, revisions, scheduling)",
    "ratings/imports/": "the import commands' writes (staff, command line)",
    "ratings/management/": "staff commands",
    "reports/management/": "staff commands (build ahead of publication)",
}
# Modules that may read the embargoed models' managers: every query they build starts
# from the gate's predicates (and they, too, may not test a publication field).
GATE_READERS = ("ratings/selectors/",)

EMBARGOED_MODELS = {"AssessmentRound", "Rating", "ServiceJudgement", "IndicatorValue"}
# Related managers that reach every revision or value of a round or council.
EMBARGOED_RELATIONS = {"ratings", "indicator_values"}
PUBLICATION_FIELDS = ("publication_at", "published_at")
MANAGERS = {"objects", "_default_manager", "_base_manager"}
SQL_WORDS = ("<", ">", "=", " is ", "select", "where", "__")
FILTERS = {"filter", "exclude", "get", "Q", "FilteredRelation", "get_or_create"}
EXPRESSIONS = {"F", "Q", "Max", "Min", "OuterRef", "Case", "When", "Exists", "Subquery"}


def _names_publication_field(text: str) -> bool:
    return any(field in text for field in PUBLICATION_FIELDS)


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of docstring nodes (their words may name a field; they filter nothing)."""
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(body, list)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            found.add(id(body[0].value))
    return found


def leaks(source: str, *, may_read_managers: bool = False) -> list[str]:
    """What in ``source`` decides the embargo itself, as "line N: why" strings."""
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    found: list[tuple[int, str]] = []

    def flag(node: ast.AST, why: str) -> None:
        found.append((node.lineno, why))

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            for keyword in node.keywords:
                parts = (keyword.arg or "").split("__")
                # A lookup (``published_at__lte=``) anywhere, or a plain field in a filter;
                # ``HistoryEntry(published_at=...)`` only passes a value on.
                if any(field in parts for field in PUBLICATION_FIELDS) and (
                    len(parts) > 1 or name in FILTERS
                ):
                    flag(keyword.value, f"filters on a publication field ({keyword.arg}=)")
                if "status" in parts and _is_scheduled(keyword.value):
                    flag(keyword.value, f"filters on a round's scheduled status ({keyword.arg}=)")
            if name in EXPRESSIONS:
                for arg in node.args:
                    if (
                        isinstance(arg, ast.Constant)
                        and isinstance(arg.value, str)
                        and _names_publication_field(arg.value)
                    ):
                        flag(node, f"builds an expression on a publication field ({name})")
        elif isinstance(node, ast.Compare):
            for operand in (node.left, *node.comparators):
                if isinstance(operand, ast.Attribute) and operand.attr in PUBLICATION_FIELDS:
                    flag(node, f"compares a publication field (.{operand.attr})")
        elif isinstance(node, ast.BoolOp):
            for value in node.values:
                if isinstance(value, ast.Attribute) and value.attr in PUBLICATION_FIELDS:
                    flag(node, f"works out a publication time itself (.{value.attr} or ...)")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value.lower()
            if (
                id(node) not in docstrings
                and _names_publication_field(text)
                and any(word in text for word in SQL_WORDS)
            ):
                flag(node, "SQL or a lookup naming a publication field")
        elif isinstance(node, ast.Attribute):
            if node.attr == "SCHEDULED":
                flag(node, "tests a round's scheduled status")
            if may_read_managers:
                continue
            if (
                node.attr in MANAGERS
                and isinstance(node.value, ast.Name)
                and node.value.id in EMBARGOED_MODELS
            ):
                flag(node, f"reads {node.value.id}.{node.attr} directly")
            if isinstance(node.value, ast.Attribute) and node.value.attr in EMBARGOED_RELATIONS:
                flag(node, f"reads the related manager .{node.value.attr} directly")
    # ".objects.none()" reads nothing.
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "none"
            and isinstance(node.func.value, ast.Attribute)
            and node.func.value.attr in MANAGERS
        ):
            found = [(line, why) for line, why in found if line != node.lineno]
    return [f"line {line}: {why}" for line, why in sorted(set(found))]


def _is_scheduled(node: ast.AST) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "SCHEDULED") or (
        isinstance(node, ast.Constant) and node.value == "scheduled"
    )


def public_modules() -> list[Path]:
    modules = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or relative in NOT_PUBLIC:
                continue
            if any(relative.startswith(folder) for folder in NOT_PUBLIC_FOLDERS):
                continue
            modules.append(path)
    return modules


def test_the_public_side_is_what_is_left_once_the_named_exceptions_are_out():
    relative = {p.relative_to(ROOT).as_posix() for p in public_modules()}
    # The public surfaces are all here...
    for expected in (
        "ratings/views.py",
        "ratings/presenters/council.py",
        "ratings/summary.py",
        "ratings/sitemaps.py",
        "ratings/page_cache.py",
        "ratings/selectors/league.py",
        "api/views.py",
        "api/queries.py",
        "reports/assembly.py",
        "reports/views.py",
        "reports/prebuilt.py",
        "portal/views.py",
    ):
        assert expected in relative
    # ...and every exception names a file that exists (a stale entry hides nothing).
    for exception in NOT_PUBLIC:
        assert (ROOT / exception).exists(), exception
    for folder in NOT_PUBLIC_FOLDERS:
        assert (ROOT / folder).is_dir(), folder


@pytest.mark.parametrize("path", public_modules(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_public_module_decides_the_embargo_itself(path):
    relative = path.relative_to(ROOT).as_posix()
    found = leaks(
        path.read_text(encoding="utf-8"),
        may_read_managers=relative.startswith(GATE_READERS),
    )
    assert not found, f"{relative} decides the embargo itself:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "source",
    [
        "AssessmentRound.objects.filter(year=2004)",
        "Rating.objects.all()",
        "round.indicator_values.filter(council=council)",
        "council.ratings.all()",
        "Council.objects.filter(ratings__published_at__lte=now)",
        "qs.filter(Q(publication_at__isnull=False))",
        "qs.exclude(round__status=RoundStatus.SCHEDULED)",
        "qs.filter(status='scheduled')",
        "if round.publication_at <= now:\n    pass",
        "when = rating.published_at or round.publication_at",
        "qs.aggregate(Max('published_at'))",
        "cursor.execute('SELECT id FROM r WHERE published_at <= %s', [now])",
        "published = round.status == RoundStatus.SCHEDULED",
    ],
)
def test_the_lint_finds_each_way_of_deciding_the_embargo(source):
    assert leaks(source)


@pytest.mark.parametrize(
    "source",
    [
        '"""A docstring may say published_at <= now; it filters nothing."""',
        "Rating.objects.none()",
        "rounds = embargo.published_rounds(now)",
        "when = embargo.published_at(rating)",
        "qs.order_by('council__name')",
        "Council.objects.select_related('region')",
        "value = round.publication_at",
        "published_at = serializers.DateTimeField(read_only=True)",
    ],
)
def test_the_lint_leaves_the_gates_callers_alone(source):
    assert leaks(source) == []


def test_selectors_may_read_managers_but_not_test_publication_fields():
    assert (
        leaks("Rating.objects.filter(embargo.public_revisions_q(now))", may_read_managers=True)
        == []
    )
    assert leaks("Rating.objects.filter(published_at__lte=now)", may_read_managers=True)
