"""`import_cpa`: Comprehensive Performance Assessment results, all or nothing."""

import io

import pytest
from django.core.management.base import CommandError

from ratings import imports
from ratings.models import CPAResult

from .factories import CouncilFactory, CPAResultFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "council,year,category,education_score,childrens_social_care_score,core_service_score,"
    "note,source"
)


def csv_of(*rows, header=HEADER):
    return "\n".join([header, *rows]) + "\n"


def run(text, **options):
    return imports.import_cpa(io.StringIO(text), **options)


def failure(text, **options):
    with pytest.raises(imports.ImportFailed) as raised:
        run(text, **options)
    return [str(error) for error in raised.value.errors]


def results():
    return {
        (r.council.name, r.year): (
            r.category,
            r.education_score,
            r.childrens_social_care_score,
            r.core_service_score,
            r.note,
            r.source,
            r.is_sample,
        )
        for r in CPAResult.objects.select_related("council")
    }


@pytest.fixture
def councils():
    return {
        "hull": CouncilFactory(name="Kingston upon Hull", alternative_names=["Hull"]),
        "ealing": CouncilFactory(name="Ealing"),
        "cumbria": CouncilFactory(name="Cumbria"),
    }


GOOD_FILE = csv_of(
    'Ealing,2004,Weak,,,3,"capped at weak, by its zero-star rating",Community Care',
    "Hull,2004,POOR,,,,,Community Care 7 January 2005",
    "Cumbria,2003,good,3,2,4,,",
)


def test_creates_results(councils):
    result = run(GOOD_FILE)
    assert result.summary() == "3 created, 0 updated, 0 unchanged"
    assert results() == {
        ("Ealing", 2004): (
            "weak",
            None,
            None,
            3,
            "capped at weak, by its zero-star rating",
            "Community Care",
            False,
        ),
        ("Kingston upon Hull", 2004): (
            "poor",
            None,
            None,
            None,
            "",
            "Community Care 7 January 2005",
            False,
        ),
        ("Cumbria", 2003): ("good", 3, 2, 4, "", "", False),
    }


def test_reimporting_changes_nothing(councils):
    run(GOOD_FILE)
    before = list(CPAResult.objects.values().order_by("pk"))
    assert run(GOOD_FILE).summary() == "0 created, 0 updated, 3 unchanged"
    assert list(CPAResult.objects.values().order_by("pk")) == before


def test_upserts_on_council_and_year(councils):
    run(GOOD_FILE)
    result = run(csv_of("Hull,2004,weak,,,,,", "Hull,2005,fair,,,,,"))
    assert result.summary() == "1 created, 1 updated, 0 unchanged"
    assert results()[("Kingston upon Hull", 2004)][0] == "weak"
    assert CPAResult.objects.count() == 4


def test_absent_optional_columns_keep_existing_values(councils):
    run(GOOD_FILE)
    result = run(csv_of("Cumbria,2003,fair", header="council,year,category"))
    assert result.revised == 1
    assert results()[("Cumbria", 2003)] == ("fair", 3, 2, 4, "", "", False)


def test_the_minimal_columns_are_enough(councils):
    run(csv_of("Cumbria,2004,Excellent", header="council,year,category"))
    assert results()[("Cumbria", 2004)] == ("excellent", None, None, None, "", "", False)


@pytest.mark.parametrize(
    ("row", "error"),
    [
        ("Atlantis,2004,good,,,,,", "line 3, column council: 'Atlantis' is not a council"),
        (
            "Ealing,2004,great,,,,,",
            "line 3, column category: 'great' is not a CPA category; use one of excellent, "
            "good, fair, weak, poor",
        ),
        (
            "Ealing,2004,,,,,,",
            "line 3, column category: missing; use one of excellent, good, fair, weak, poor",
        ),
        (
            "Ealing,2004,good,5,,,,",
            "line 3, column education_score: '5' is not a score; use a whole number from 1 to 4",
        ),
        (
            "Ealing,2004,good,,0,,,",
            "line 3, column childrens_social_care_score: '0' is not a score; use a whole "
            "number from 1 to 4",
        ),
        (
            "Ealing,2004,good,,,2.5,,",
            "line 3, column core_service_score: '2.5' is not a score; use a whole number from "
            "1 to 4",
        ),
        (
            "Ealing,last year,good,,,,,",
            "line 3, column year: 'last year' is not a year; use a whole number from 2000 to "
            "2100",
        ),
        ("Ealing,,good,,,,,", "line 3, column year: missing; give the year, e.g. 2004"),
        ("hull,2004,poor,,,,,", "line 3, column council: Kingston upon Hull's 2004 result is "
         "already on line 2"),
    ],
)  # fmt: skip
def test_a_bad_row_is_reported_and_nothing_is_written(councils, row, error):
    assert failure(csv_of("Hull,2004,poor,,,,,", row)) == [error]
    assert not CPAResult.objects.exists()


@pytest.mark.parametrize("number", ["9" * 400, "1" + "0" * 309 + ".0", "-2004"])
def test_a_number_too_long_or_negative_is_an_error(councils, number):
    # float("9" * 400) is infinity, and int() of it raised OverflowError; "-2004" was 2004.
    errors = failure(csv_of(f"Ealing,{number},good,{number},,,,"))
    assert [error.split(":")[0] for error in errors] == [
        "line 2, column year",
        "line 2, column education_score",
    ]
    assert errors[0].endswith("is not a year; use a whole number from 2000 to 2100")
    assert errors[1].endswith("is not a score; use a whole number from 1 to 4")
    assert not CPAResult.objects.exists()


def test_every_error_is_listed_and_nothing_is_written(councils):
    CPAResultFactory(council=councils["hull"], year=2004, category="poor")
    before = results()
    errors = failure(
        csv_of("Hull,2004,good,,,,,", "Ealing,2004,bad,9,,,,", "Nowhere,2004,good,,,,,")
    )
    assert errors == [
        "line 3, column category: 'bad' is not a CPA category; use one of excellent, good, "
        "fair, weak, poor",
        "line 3, column education_score: '9' is not a score; use a whole number from 1 to 4",
        "line 4, column council: 'Nowhere' is not a council",
    ]
    assert results() == before


def test_missing_columns(councils):
    assert failure("council,category\nHull,poor\n") == [
        "line 1, column year: missing column (the columns are council, year, category, "
        "education_score, childrens_social_care_score, core_service_score, note, source)"
    ]


def test_sample_marks_results_and_never_replaces_published_ones(councils):
    CPAResultFactory(council=councils["ealing"], year=2004, category="weak", is_sample=False)
    result = run(csv_of("Ealing,2004,good,,,,,", "Hull,2004,poor,,,,,"), sample=True)
    assert result.summary() == "1 created, 0 updated, 1 unchanged"
    assert result.warnings == [
        "line 2: kept Ealing's published 2004 result (weak); a sample import does not replace it"
    ]
    assert results()[("Ealing", 2004)][0] == "weak"
    assert results()[("Ealing", 2004)][-1] is False
    assert results()[("Kingston upon Hull", 2004)][-1] is True


def test_a_published_result_replaces_a_sample_one(councils):
    run(csv_of("Hull,2004,fair,,,,,"), sample=True)
    assert run(csv_of("Hull,2004,poor,,,,,")).revised == 1
    assert results()[("Kingston upon Hull", 2004)][0] == "poor"
    assert results()[("Kingston upon Hull", 2004)][-1] is False


def test_dry_run_writes_nothing(councils):
    assert run(GOOD_FILE, dry_run=True).created == 3
    assert not CPAResult.objects.exists()


def test_command(call, councils, tmp_path):
    path = tmp_path / "cpa.csv"
    path.write_text(GOOD_FILE)
    status, out, err = call("import_cpa", str(path), "--sample")
    assert (status, err) == (0, "")
    assert out.strip().endswith("3 created, 0 updated, 0 unchanged")
    assert set(CPAResult.objects.values_list("is_sample", flat=True)) == {True}
    status, out, _ = call("import_cpa", str(path), "--sample")
    assert out.strip().endswith("0 created, 0 updated, 3 unchanged")


def test_command_dry_run(call, councils, tmp_path):
    path = tmp_path / "cpa.csv"
    path.write_text(GOOD_FILE)
    status, out, _ = call("import_cpa", str(path), "--dry-run")
    assert status == 0
    assert "Dry run, nothing written: 3 created" in out
    assert not CPAResult.objects.exists()


def test_command_failure_exits_1(call, councils, tmp_path):
    path = tmp_path / "cpa.csv"
    path.write_text(csv_of("Hull,2004,dreadful,,,,,"))
    status, out, err = call("import_cpa", str(path))
    assert (status, out) == (1, "")
    assert err.splitlines()[0] == "Import failed: 1 error; nothing was written."
    assert "line 2, column category: 'dreadful' is not a CPA category" in err


def test_command_missing_file(call, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call("import_cpa", str(tmp_path / "nope.csv"))


def test_command_header_only(call, councils, tmp_path):
    path = tmp_path / "cpa.csv"
    path.write_text(HEADER + "\n")
    status, _, err = call("import_cpa", str(path))
    assert status == 1
    assert "line 2: the file has no rows" in err


def test_a_sample_row_supplies_only_the_scores_a_published_result_lacks(councils):
    run(csv_of("Ealing,2004,weak,,,3,capped,Court of Appeal"))
    result = run(csv_of("Ealing,2004,good,3,1,2,,"), sample=True)
    assert result.warnings == [
        "line 2: kept Ealing's published 2004 result (weak); the sample supplies only its "
        "education score, childrens social care score, marked so"
    ]
    ealing = CPAResult.objects.get(council=councils["ealing"], year=2004)
    assert (ealing.category, ealing.core_service_score, ealing.is_sample) == ("weak", 3, False)
    assert (ealing.education_score, ealing.childrens_social_care_score) == (3, 1)
    assert ealing.sample_fields == ["childrens_social_care_score", "education_score"]
    # Loading both again changes nothing: the published row keeps the sample's scores.
    run(csv_of("Ealing,2004,weak,,,3,capped,Court of Appeal"))
    assert run(csv_of("Ealing,2004,good,3,1,2,,"), sample=True).unchanged == 1
    ealing.refresh_from_db()
    assert (ealing.education_score, ealing.sample_fields[0]) == (3, "childrens_social_care_score")
