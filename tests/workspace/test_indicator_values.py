"""Indicator values: the per-council form and the round's CSV upload (preview, confirm,
all or nothing, errors by line and column)."""

import time
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ratings import models, reference_data
from tests import factories

from . import staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    case = staff.open_round()
    case.indicators = [
        factories.IndicatorFactory(code="PAF C28", domain=case.domains[1]),
        factories.IndicatorFactory(code="PAF B17", domain=case.domains[1]),
    ]
    return case


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def upload(client, case, text, **extra):
    return client.post(
        reverse("workspace:indicator-upload", args=[case.round.year]),
        {"file": SimpleUploadedFile("values.csv", text.encode(), "text/csv"), **extra},
    )


def test_the_inspector_enters_a_councils_values_and_the_history_names_them(case):
    inspector = signed_in(case.inspector)
    url = reverse("workspace:indicators", args=[case.round.year, case.council.slug])
    c28, b17 = case.indicators

    bad = inspector.post(url, {f"value_{c28.pk}": "lots"})
    assert bad.status_code == 400
    assert b"Enter a number" in bad.content
    assert not models.IndicatorValue.objects.exists()

    assert (
        inspector.post(url, {f"value_{c28.pk}": "12.5", f"exempt_{b17.pk}": "on"}).status_code
        == 302
    )
    values = {v.indicator.code: v for v in models.IndicatorValue.objects.all()}
    assert values["PAF C28"].value == Decimal("12.5")
    assert values["PAF B17"].exempt and values["PAF B17"].value is None
    assert values["PAF C28"].history.first().history_user == case.inspector


HOSTILE_NUMBERS = ["1e30", "1e400", "-1e400", "nan", "inf", "-inf", "1" + "0" * 40]
RANGE = "from -999,999,999.999 to 999,999,999.999"


@pytest.mark.parametrize("number", HOSTILE_NUMBERS)
def test_a_number_out_of_range_in_the_form_is_a_form_error_naming_the_range(case, number):
    inspector = signed_in(case.inspector)
    url = reverse("workspace:indicators", args=[case.round.year, case.council.slug])
    c28, _ = case.indicators

    response = inspector.post(url, {f"value_{c28.pk}": number})

    assert response.status_code == 400
    assert f"Enter a number {RANGE}" in response.content.decode()
    assert not models.IndicatorValue.objects.exists()


def test_the_form_reads_numbers_as_the_import_does(case):
    inspector = signed_in(case.inspector)
    url = reverse("workspace:indicators", args=[case.round.year, case.council.slug])
    c28, b17 = case.indicators

    response = inspector.post(url, {f"value_{c28.pk}": "1e-400", f"value_{b17.pk}": "12.3456"})

    assert response.status_code == 302
    values = {v.indicator.code: v.value for v in models.IndicatorValue.objects.all()}
    assert values == {"PAF C28": Decimal("0"), "PAF B17": Decimal("12.346")}


@pytest.mark.parametrize("number", HOSTILE_NUMBERS)
def test_an_upload_with_a_number_out_of_range_lists_it_by_line_and_column(case, number):
    lead = signed_in(staff.lead())
    text = f"council,indicator,value\n{case.council.name},PAF C28,{number}\n"

    response = upload(lead, case, text)

    assert response.status_code == 400
    page = response.content.decode()
    assert '>2</td><td class="govuk-table__cell">value<' in page
    assert RANGE in page
    assert not models.IndicatorValue.objects.exists()


def test_an_upload_with_errors_lists_them_by_line_and_column_and_changes_nothing(case):
    lead = signed_in(staff.lead())
    text = (
        "council,indicator,value\n"
        f"{case.council.name},PAF C28,12\n"
        "Nowhere Borough,PAF C28,3\n"
        f"{case.council.name},PAF B17,many\n"
    )

    response = upload(lead, case, text)

    assert response.status_code == 400
    page = response.content.decode()
    assert "The file has 2 errors; nothing was changed" in page
    assert "Nowhere Borough" in page
    assert '>3</td><td class="govuk-table__cell">council<' in page
    assert '>4</td><td class="govuk-table__cell">value<' in page
    assert not models.IndicatorValue.objects.exists()


def test_an_upload_is_previewed_then_saved_on_confirmation(case):
    lead_user = staff.lead()
    lead = signed_in(lead_user)
    text = (
        "council,indicator,value\n"
        f"{case.council.name},PAF C28,12\n"
        f"{case.councils[1].name},PAF C28,40\n"
    )

    preview = upload(lead, case, text)

    assert preview.status_code == 200
    assert "2 created, 0 updated, 0 unchanged" in preview.content.decode()
    assert not models.IndicatorValue.objects.exists()

    confirm = lead.post(
        reverse("workspace:indicator-upload", args=[case.round.year]),
        {"content": text, "action": "confirm"},
    )

    assert confirm.status_code == 302
    assert models.IndicatorValue.objects.count() == 2
    assert {h.history_user for h in models.IndicatorValue.history.all()} == {lead_user}


def test_an_upload_that_is_not_a_csv_file_is_refused_clearly(case):
    lead = signed_in(staff.lead())
    response = lead.post(
        reverse("workspace:indicator-upload", args=[case.round.year]),
        {"file": SimpleUploadedFile("values.csv", b"\xff\xfe\x00bad", "text/csv")},
    )
    assert response.status_code == 400
    assert b"not UTF-8 text" in response.content
    empty = lead.post(reverse("workspace:indicator-upload", args=[case.round.year]), {})
    assert empty.status_code == 400
    assert b"Choose a CSV file to upload" in empty.content


# --- big files --------------------------------------------------------------------------

TWO_MB = 2_000_000


def unknown_councils(shape: str) -> str:
    """Just under 2 MB of rows naming councils that do not exist: short rows (far more than
    the row limit), or 10,000 rows of long names (within it)."""
    header = "council,indicator,value\n"
    if shape == "short rows":
        rows, size, i = [], len(header), 0
        while size < TWO_MB - 40:
            row = f"Nowhere Borough {i},PAF C28,{i % 97}\n"
            rows.append(row)
            size += len(row)
            i += 1
        return header + "".join(rows)
    width = (TWO_MB - len(header)) // 10_000 - len(",PAF C28,1\n")
    return header + "".join(
        f"{f'Borough of Nowhere {i} ':x<{width}},PAF C28,1\n" for i in range(10_000)
    )


@pytest.mark.parametrize("shape", ["short rows", "long names"])
def test_an_upload_of_2_mb_of_unknown_councils_is_refused_in_under_5_s_with_the_first_errors(
    case, shape
):
    reference_data.load_councils()  # every real council, for the "did you mean"s
    rounds_before = models.AssessmentRound.objects.count()
    lead = signed_in(staff.lead())
    text = unknown_councils(shape)
    assert 0.99 * TWO_MB < len(text.encode()) <= TWO_MB

    started = time.perf_counter()
    response = upload(lead, case, text)
    elapsed = time.perf_counter() - started

    print(f"2 MB upload of unknown councils ({shape}): {elapsed:.2f} s")
    assert elapsed < 5
    assert response.status_code == 400
    page = response.content.decode()
    assert "nothing was changed" in page
    first = "Nowhere Borough 0" if shape == "short rows" else "Borough of Nowhere 0 xx"
    assert '>2</td><td class="govuk-table__cell">council<' in page
    assert f"&#x27;{first}" in page and "is not a council" in page
    if shape == "short rows":
        # The row limit first (the whole file), then the first 99 rows' errors.
        assert "more than 10,000 rows" in page
        last_listed, unlisted = 100, "9,901"
    else:
        last_listed, unlisted = 101, "9,900"
    assert f'>{last_listed}</td><td class="govuk-table__cell">council<' in page
    assert f'>{last_listed + 1}</td><td class="govuk-table__cell">council<' not in page
    assert f"The first 100 errors are listed; there are {unlisted} more." in page
    assert not models.IndicatorValue.objects.exists()
    assert models.AssessmentRound.objects.count() == rounds_before


def test_the_upload_page_says_the_limits(case):
    lead = signed_in(staff.lead())
    page = lead.get(reference_upload_url(case)).content.decode()
    assert "smaller than 2 MB" in page
    assert "at most 10,000 rows" in page


def test_a_file_over_the_size_limit_is_refused_by_the_form(case):
    lead = signed_in(staff.lead())
    text = "council,indicator,value\n" + "Nowhere,PAF C28,1\n" * 130_000
    assert len(text.encode()) > 2 * 1024 * 1024
    response = upload(lead, case, text)
    assert response.status_code == 400
    assert "The file must be smaller than 2 MB" in response.content.decode()
    # The checked file carried to the confirmation is held to the same limit.
    confirm = lead.post(reference_upload_url(case), {"content": text, "action": "confirm"})
    assert confirm.status_code == 400
    assert not models.IndicatorValue.objects.exists()


def test_a_file_at_the_size_limit_can_be_checked_and_confirmed(case):
    lead = signed_in(staff.lead())
    text = (
        f"council,indicator,value\n{case.council.name},PAF C28,1\n{case.council.name},PAF B17,2\n"
    )
    text += "\n" * (2 * 1024 * 1024 - len(text.encode()))  # blank lines are not rows

    preview = upload(lead, case, text)

    assert preview.status_code == 200
    # The confirmation posts the text back: multipart, as URL-encoded it could pass Django's
    # limit on a request's form data (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB).
    form = preview.content.decode().split("Confirm and save")[0].rsplit("<form", 1)[1]
    assert 'enctype="multipart/form-data"' in form
    confirm = lead.post(reference_upload_url(case), {"content": text, "action": "confirm"})
    assert confirm.status_code == 302
    assert models.IndicatorValue.objects.count() == 2


def reference_upload_url(case):
    return reverse("workspace:indicator-upload", args=[case.round.year])
