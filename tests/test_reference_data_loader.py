"""The reference data loader (``ratings.reference_data``) from an empty database: what it
reports, and what it says of a bad file (writing nothing)."""

import io
import shutil

import pytest

from ratings import reference_data
from ratings.models import (
    Council,
    Domain,
    Group,
    Indicator,
    KeyIndicatorCap,
    PublishedFact,
    Region,
    Standard,
)

pytestmark = pytest.mark.django_db

MODELS = (Region, Council, Domain, Standard, Indicator, KeyIndicatorCap, Group, PublishedFact)


def test_loading_reports_what_was_done():
    out = io.StringIO()
    reference_data.load_reference_data(stdout=out)
    assert "Councils: 150 created, 0 updated, 0 unchanged" in out.getvalue()
    assert "Published facts: 159 created" in out.getvalue()


def test_each_loader_returns_its_counts():
    assert reference_data.load_councils()["regions"].created == 9
    assert reference_data.load_domains_and_standards()["standards"].total == 15
    assert reference_data.load_indicators()["key_indicator_caps"].total == 33
    assert reference_data.load_groups()["groups"].created >= 1
    assert reference_data.load_published_facts()["published_facts"].total == 159


# --- bad files -----------------------------------------------------------------------------


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A copy of the data files that a test may spoil."""
    copy = tmp_path / "data"
    shutil.copytree(reference_data.DATA_DIR, copy)
    monkeypatch.setattr(reference_data, "DATA_DIR", copy)
    return copy


def spoil(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    "file, old, new, where",
    [
        (
            "indicators.csv",
            "children-and-families,%,lower,10;13;16;20",
            "children-and-families,%,upwards,10;13;16;20",
            "indicators.csv, line 2, column polarity: 'upwards' is not a polarity",
        ),
        (
            "indicators.csv",
            "lower,10;13;16;20",
            "lower,10;16;13;20",
            "indicators.csv, line 2, column band_thresholds: '10;16;13;20' is not in ascending",
        ),
        (
            "indicators.csv",
            "lower,10;13;16;20",
            "lower,10;13;16",
            "indicators.csv, line 2, column band_thresholds: '10;13;16' has 3 cut points",
        ),
        (
            "key-indicator-caps.csv",
            "A1,2002,children,some,20",
            "A1,2001,children,some,20",
            "key-indicator-caps.csv, line 2, column methodology_version: '2001' is not",
        ),
        (
            "key-indicator-caps.csv",
            "A1,2002,children,some,20",
            "A1,2002,children,some,twenty",
            "key-indicator-caps.csv, line 2, column threshold: 'twenty' is not a number",
        ),
        (
            "known-ratings.csv",
            "Bexley,2002,May,3",
            "Bexleyheath,2002,May,3",
            "known-ratings.csv, line 4, column council: 'Bexleyheath' is not a council",
        ),
        (
            "known-ratings.csv",
            "Bexley,2002,May,3",
            "Bexley,2002,May,4",
            "known-ratings.csv, line 4, column stars: '4' is not a star rating",
        ),
        (
            "councils.csv",
            "Barnet,barnet,london_borough",
            "Barnet,barnet,borough",
            "councils.csv, line 3, column type: 'borough' is not a council type",
        ),
        (
            "standards.csv",
            "children-and-families,CF2,",
            "children-and-familes,CF2,",
            "standards.csv, line 3, column domain: 'children-and-familes' is not a domain",
        ),
        (
            "groups.csv",
            "slug,name,description",
            "slug,title,description",
            "groups.csv, line 1, column title: unknown column",
        ),
    ],
)
def test_a_bad_file_names_the_file_line_and_column_and_writes_nothing(
    data_dir, file, old, new, where
):
    spoil(data_dir / file, old, new)
    with pytest.raises(reference_data.ReferenceDataError) as raised:
        reference_data.load_reference_data()
    assert raised.value.file == file
    assert where in str(raised.value)
    assert not any(model.objects.exists() for model in MODELS)


def test_every_problem_in_a_file_is_reported(data_dir):
    spoil(data_dir / "councils.csv", "Barnet,barnet,london_borough", "Barnet,barnet,borough")
    spoil(data_dir / "councils.csv", "Bexley,bexley,", "Barnet,Bexley Borough,")
    with pytest.raises(reference_data.ReferenceDataError) as raised:
        reference_data.load_councils()
    message = str(raised.value)
    assert message.startswith("councils.csv: 3 errors; nothing was written:")
    assert "line 3, column type" in message
    assert "line 7, column name: repeats the council name 'Barnet' of line 3" in message
    assert "line 7, column slug: 'Bexley Borough' is not a slug" in message


def test_a_missing_file_is_named(data_dir):
    (data_dir / "groups.csv").unlink()
    with pytest.raises(reference_data.ReferenceDataError, match=r"^groups\.csv: 1 error"):
        reference_data.load_groups()


def test_the_command_error_shows_the_file(data_dir):
    spoil(data_dir / "domains.csv", "children-and-families,", "Children and families,")
    with pytest.raises(reference_data.ReferenceDataError) as raised:
        reference_data.load_reference_data()
    assert str(raised.value).splitlines()[1].startswith("domains.csv, line 2, column slug:")


def test_a_repeated_row_is_an_error(data_dir):
    path = data_dir / "key-indicator-caps.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join([*lines, lines[1]]), encoding="utf-8")
    with pytest.raises(reference_data.ReferenceDataError) as raised:
        reference_data.load_reference_data()
    assert f"line {len(lines) + 1}, column indicator: repeats the cap 'A1 2002' of line 2" in str(
        raised.value
    )


def test_indicators_need_the_domains_first():
    with pytest.raises(reference_data.ReferenceDataError) as raised:
        reference_data.load_indicators()
    assert "indicators.csv, line 2, column domain: 'children-and-families' is not a domain" in str(
        raised.value
    )
    assert "there are none yet" in str(raised.value)
