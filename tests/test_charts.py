"""The server-drawn SVG history chart: valid XML, accessible, labelled in text."""

import xml.etree.ElementTree as ET

from ratings import charts

SVG = "{http://www.w3.org/2000/svg}"
POINTS = [("2002", 0), ("2003", 1), ("2003 rev. 2", 2), ("2004", None), ("2005", 3)]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element) -> list[str]:
    return [element.text for element in root.iter(f"{SVG}text")]


def test_parses_as_xml_with_title_and_description():
    root = parse(charts.history_chart(POINTS, title="Star ratings of Walsall"))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title.text == "Star ratings of Walsall"
    assert desc.text == (
        "2002: 0 stars; 2003: 1 star; 2003 rev. 2: 2 stars; 2004: not rated; 2005: 3 stars."
    )
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_axis_labels_and_points_are_text_not_colour():
    labels = texts(parse(charts.history_chart(POINTS, title="t")))
    for axis in ("0 stars", "1 star", "2 stars", "3 stars"):
        assert axis in labels
    for label, _ in POINTS:
        assert label in labels
    # Each rated point carries its number of stars; the unrated one says so.
    assert labels.count("Not rated") == 1
    for value in ("0", "1", "2", "3"):
        assert value in labels


def test_the_line_breaks_where_a_round_was_not_rated():
    root = parse(charts.history_chart(POINTS, title="t"))
    lines = root.findall(f".//{SVG}polyline")
    assert [len(line.get("points").split()) for line in lines] == [3]  # 2005 stands alone
    assert len(root.findall(f".//{SVG}circle")) == 4


def test_text_is_escaped_and_ids_are_safe():
    svg = charts.history_chart(
        [("<2002>", 1)], title='Ratings of "A & B" <script>', id_prefix="x y<z>"
    )
    root = parse(svg)
    assert root.find(f"{SVG}title").text == 'Ratings of "A & B" <script>'
    assert "<script>" not in svg
    assert root.find(f"{SVG}title").get("id") == "x-y-z--title"


def test_no_style_attributes_or_scripts():
    svg = charts.history_chart(POINTS, title="t")
    assert "style=" not in svg
    assert "<script" not in svg
    root = parse(svg)
    assert all("style" not in element.attrib for element in root.iter())


def test_an_empty_history():
    root = parse(charts.history_chart([], title="Nothing yet"))
    assert root.find(f"{SVG}desc").text == "No ratings have been published."
    assert root.findall(f".//{SVG}circle") == []


def test_a_custom_description():
    root = parse(charts.history_chart(POINTS, title="t", description="Rising steadily."))
    assert root.find(f"{SVG}desc").text == "Rising steadily."
