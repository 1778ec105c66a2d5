"""The docs describe the code as it is."""

from pathlib import Path

from ratings import methodology, rules

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_methodology_page_shows_the_table_the_rules_use():
    text = (DOCS / "methodology.md").read_text()
    start = text.index("-->", text.index("<!-- table:start")) + len("-->")
    end = text.index("<!-- table:end -->")
    for version in rules.methodology_versions():
        assert text[start:end].strip() == methodology.markdown_table(version)


def test_methodology_page_says_the_table_is_a_reconstruction():
    assert "The table below is a reconstruction." in (DOCS / "methodology.md").read_text()


def test_architecture_page_names_modules_that_exist():
    text = (DOCS / "architecture.md").read_text()
    root = DOCS.parent
    for path in [
        "ratings/rules.py",
        "ratings/models/",
        "ratings/embargo.py",
        "ratings/selectors/",
        "ratings/services/",
        "ratings/imports/",
        "ratings/reference_data.py",
        "ratings/star_rules/versions.csv",
        "scripts/generate_sample_data.py",
    ]:
        assert f"`{path}`" in text, path
        assert (root / path).exists(), path
