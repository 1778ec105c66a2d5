"""`import_indicator_values`: councils' indicator values for a round, all or nothing."""

import io
from decimal import Decimal

import pytest
from django.core.management.base import CommandError

from ratings import imports
from ratings.models import AssessmentRound, IndicatorValue, RoundStatus

from .factories import AssessmentRoundFactory, CouncilFactory, IndicatorFactory

pytestmark = pytest.mark.django_db

HEADER = "council,indicator,value,exempt,note"
RANGE = "use a number from -999,999,999.999 to 999,999,999.999"


def csv_of(*rows, header=HEADER):
    return "\n".join([header, *rows]) + "\n"


def run(text, *, year=2004, **options):
    return imports.import_indicator_values(io.StringIO(text), year=year, **options)


def failure(text, **options):
    with pytest.raises(imports.ImportFailed) as raised:
        run(text, **options)
    return [str(error) for error in raised.value.errors]


def values():
    return {
        (v.council.name, v.indicator.code): (v.value, v.exempt, v.note)
        for v in IndicatorValue.objects.select_related("council", "indicator")
    }


@pytest.fixture
def setup():
    return {
        "hull": CouncilFactory(name="Kingston upon Hull", alternative_names=["Hull"]),
        "barnet": CouncilFactory(name="Barnet"),
        "c20": IndicatorFactory(code="C20"),
        "a1": IndicatorFactory(code="PAF A1"),
    }


GOOD_FILE = csv_of(
    "Hull,C20,40.5,no,",
    "Barnet,c20,75,,",
    "Barnet,paf a1,,yes,Too few cases to report",
)


def test_creates_the_round_and_the_values(setup):
    result = run(GOOD_FILE)
    assert result.summary() == "3 created, 0 updated, 0 unchanged"
    round = AssessmentRound.objects.get(year=2004)
    assert (round.status, round.publication_at, round.methodology_version) == (
        RoundStatus.DRAFT,
        None,
        "2004",
    )
    assert values() == {
        ("Kingston upon Hull", "C20"): (Decimal("40.500"), False, ""),
        ("Barnet", "C20"): (Decimal("75.000"), False, ""),
        ("Barnet", "PAF A1"): (None, True, "Too few cases to report"),
    }


def test_uses_an_existing_round(setup):
    round = AssessmentRoundFactory(year=2004)
    run(GOOD_FILE)
    assert AssessmentRound.objects.count() == 1
    assert IndicatorValue.objects.filter(round=round).count() == 3


def test_reimporting_changes_nothing(setup):
    run(GOOD_FILE)
    before = list(IndicatorValue.objects.values().order_by("pk"))
    assert run(GOOD_FILE).summary() == "0 created, 0 updated, 3 unchanged"
    assert list(IndicatorValue.objects.values().order_by("pk")) == before


def test_changed_values_are_updated(setup):
    run(GOOD_FILE)
    result = run(csv_of("Hull,C20,41,no,", "Barnet,C20,75,,"))
    assert result.summary() == "0 created, 1 updated, 1 unchanged"
    assert result.changes == ["line 2: Kingston upon Hull C20: 40.500 -> 41.000"]
    assert values()[("Kingston upon Hull", "C20")][0] == Decimal("41")


def test_without_exempt_and_note_columns_existing_ones_are_kept(setup):
    run(GOOD_FILE)
    result = run(csv_of("Barnet,PAF A1,12", header="council,indicator,value"))
    assert result.revised == 1
    assert values()[("Barnet", "PAF A1")] == (Decimal("12"), True, "Too few cases to report")


def test_numbers_are_read_tolerantly_and_rounded_to_three_places(setup):
    run(
        csv_of("Hull,C20,45%,,", 'Barnet,C20,"1,234.56789",,'),
    )
    assert values()[("Kingston upon Hull", "C20")][0] == Decimal("45")
    assert values()[("Barnet", "C20")][0] == Decimal("1234.568")
    assert run(csv_of("Barnet,C20,1234.5679,,")).unchanged == 1


@pytest.mark.parametrize(
    ("row", "error"),
    [
        ("Atlantis,C20,1,,", "line 3, column council: 'Atlantis' is not a council"),
        ("Barnet,Z99,1,,", "line 3, column indicator: 'Z99' is not an indicator code"),
        ("Barnet,,1,,", "line 3, column indicator: missing; give the indicator's code"),
        ("Barnet,C20,lots,,", "line 3, column value: 'lots' is not a number"),
        ("Barnet,C20,NaN,,", f"line 3, column value: 'NaN' is not a number; {RANGE}"),
        ("Barnet,C20,1e12,,", f"line 3, column value: '1e12' is too large; {RANGE}"),
        ("Barnet,C20,1,perhaps,", "line 3, column exempt: 'perhaps' is not yes or no"),
        ("Barnet,C20,1,," + "x" * 301, "line 3, column note: longer than 300 characters"),
        ("Hull,c20,1,,", "line 3, column indicator: Kingston upon Hull's C20 is already on line 2"),
    ],
)
def test_a_bad_row_is_reported_and_nothing_is_written(setup, row, error):
    assert failure(csv_of("Hull,C20,40,,", row)) == [error]
    assert not IndicatorValue.objects.exists()
    assert not AssessmentRound.objects.exists()


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("1e30", "is too large"),
        ("1e400", "is too large"),
        ("-1e400", "is too small"),
        ("1" + "0" * 40, "is too large"),
        ("999999999.9995", "is too large"),  # rounds to 1,000,000,000.000
        ("-999999999.9995", "is too small"),
        ("nan", "is not a number"),
        ("-NaN", "is not a number"),
        ("sNaN", "is not a number"),
        ("inf", "is not a number"),
        ("-inf", "is not a number"),
        ("Infinity", "is not a number"),
    ],
)
def test_a_number_out_of_range_or_not_finite_is_an_error_naming_the_range(setup, value, problem):
    assert failure(csv_of("Hull,C20,40,,", f"Barnet,C20,{value},,")) == [
        f"line 3, column value: {value!r} {problem}; {RANGE}"
    ]
    assert not IndicatorValue.objects.exists()
    assert not AssessmentRound.objects.exists()


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("1e-400", Decimal("0")),
        ("-1e-400", Decimal("0")),
        ("999999999.999", Decimal("999999999.999")),
        ("-999999999.999", Decimal("-999999999.999")),
        ("1E+5", Decimal("100000")),
    ],
)
def test_numbers_at_the_ends_of_the_range_are_kept(setup, value, stored):
    run(csv_of(f"Barnet,C20,{value},,"))
    assert values()[("Barnet", "C20")][0] == stored


def test_command_reports_a_number_out_of_range_by_line_and_column(call, setup, tmp_path):
    path = tmp_path / "values.csv"
    path.write_text(csv_of("Hull,C20,1e400,,", "Barnet,C20,inf,,"))
    status, out, err = call("import_indicator_values", str(path), "--year", "2004")
    assert (status, out) == (1, "")
    assert f"line 2, column value: '1e400' is too large; {RANGE}" in err
    assert f"line 3, column value: 'inf' is not a number; {RANGE}" in err
    assert "Traceback" not in err
    assert not IndicatorValue.objects.exists()


def test_every_error_is_listed(setup):
    run(GOOD_FILE)
    before = values()
    errors = failure(csv_of("Hull,C20,1,,", "Atlantis,C20,x,,", "Barnet,X,1,,"))
    assert errors == [
        "line 3, column council: 'Atlantis' is not a council",
        "line 3, column value: 'x' is not a number",
        "line 4, column indicator: 'X' is not an indicator code",
    ]
    assert values() == before


def test_missing_column(setup):
    assert failure("council,indicator\nHull,C20\n") == [
        "line 1, column value: missing column (the columns are council, indicator, value, "
        "exempt, note)"
    ]


def test_dry_run_writes_nothing(setup):
    result = run(GOOD_FILE, dry_run=True)
    assert result.created == 3
    assert not AssessmentRound.objects.exists()
    assert not IndicatorValue.objects.exists()


def test_command(call, setup, tmp_path):
    path = tmp_path / "values.csv"
    path.write_text(GOOD_FILE)
    status, out, err = call("import_indicator_values", str(path), "--year", "2004")
    assert (status, err) == (0, "")
    assert out.strip().endswith("3 created, 0 updated, 0 unchanged")
    status, out, err = call("import_indicator_values", str(path), "--year", "2004")
    assert out.strip().endswith("0 created, 0 updated, 3 unchanged")


def test_command_failure_exits_1(call, setup, tmp_path):
    path = tmp_path / "values.csv"
    path.write_text(csv_of("Hull,C20,many,,"))
    status, out, err = call("import_indicator_values", str(path), "--year", "2004")
    assert (status, out) == (1, "")
    assert "line 2, column value: 'many' is not a number" in err
    assert not IndicatorValue.objects.exists()


def test_command_dry_run(call, setup, tmp_path):
    path = tmp_path / "values.csv"
    path.write_text(GOOD_FILE)
    status, out, _ = call("import_indicator_values", str(path), "--year", "2004", "--dry-run")
    assert status == 0
    assert "Dry run, nothing written: 3 created, 0 updated, 0 unchanged" in out
    assert not IndicatorValue.objects.exists()


def test_command_bad_usage(call, setup, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call("import_indicator_values", str(tmp_path / "nope.csv"), "--year", "2004")
    path = tmp_path / "values.csv"
    path.write_text(GOOD_FILE)
    with pytest.raises(CommandError, match="no 2009 methodology"):
        call("import_indicator_values", str(path), "--year", "2009")


def test_command_empty_and_badly_encoded_files(call, setup, tmp_path):
    path = tmp_path / "values.csv"
    path.write_bytes(b"")
    status, _, err = call("import_indicator_values", str(path), "--year", "2004")
    assert status == 1 and "the file is empty" in err
    path.write_bytes(HEADER.encode() + b"\nH\xfcll,C20,1,,\n")
    status, _, err = call("import_indicator_values", str(path), "--year", "2004")
    assert status == 1 and "line 2: the file is not UTF-8 text" in err


def test_the_first_100_errors_are_listed_with_how_many_more(setup):
    with pytest.raises(imports.ImportFailed) as raised:
        run(csv_of(*(f"Atlantis {i},C20,1,," for i in range(250))))
    failed = raised.value
    assert failed.count == 250
    assert len(failed.errors) == 100
    assert failed.unlisted == 150
    assert str(failed.errors[0]) == "line 2, column council: 'Atlantis 0' is not a council"
    assert str(failed.errors[-1]).startswith("line 101, column council: 'Atlantis 99'")
    assert failed.summary() == "250 errors; nothing was written"
    assert str(failed).endswith("and 150 more errors, not listed")


def test_council_suggestions_are_worked_out_only_for_the_errors_listed(setup, monkeypatch):
    from ratings.councils import CouncilMatcher

    calls = []
    suggest = CouncilMatcher.suggest
    monkeypatch.setattr(
        CouncilMatcher,
        "suggest",
        lambda self, text, **kw: calls.append(text) or suggest(self, text, **kw),
    )
    with pytest.raises(imports.ImportFailed) as raised:
        run(csv_of(*(f"Barnett {i},C20,1,," for i in range(5_000)), "Barnett,C20,1,,"))
    assert len(calls) == 100
    assert raised.value.count == 5_001
    assert str(raised.value.errors[0]) == (
        "line 2, column council: 'Barnett 0' is not a council; did you mean 'Barnet'?"
    )


def test_command_lists_the_first_errors_and_counts_the_rest(call, setup, tmp_path):
    path = tmp_path / "values.csv"
    path.write_text(csv_of(*(f"Atlantis {i},C20,1,," for i in range(20_000))))
    status, out, err = call("import_indicator_values", str(path), "--year", "2004")
    assert status == 1
    lines = err.splitlines()
    assert lines[0] == "Import failed: 20,000 errors; nothing was written."
    assert lines[1] == "  line 2, column council: 'Atlantis 0' is not a council"
    assert len(lines) == 102
    assert lines[-1] == "  ... and 19,900 more errors, not listed"
    assert not IndicatorValue.objects.exists()
