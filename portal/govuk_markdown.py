"""Markdown pages (such as docs/methodology.md) rendered as GOV.UK-styled HTML.

The documents are the project's own, so raw HTML in them is trusted. Rendering happens at
request time and is cached per process until the file changes.
"""

import functools
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from pathlib import Path

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

CLASSES = {
    "h1": "govuk-heading-xl",
    "h2": "govuk-heading-l",
    "h3": "govuk-heading-m",
    "h4": "govuk-heading-s",
    "h5": "govuk-heading-s",
    "h6": "govuk-heading-s",
    "p": "govuk-body",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "a": "govuk-link",
    "blockquote": "govuk-inset-text",
    "hr": "govuk-section-break govuk-section-break--l govuk-section-break--visible",
    "table": "govuk-table",
    "thead": "govuk-table__head",
    "tbody": "govuk-table__body",
    "tr": "govuk-table__row",
    "th": "govuk-table__header",
    "td": "govuk-table__cell",
}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# Tables with more columns than this scroll sideways in a focusable region of their own.
WIDE_TABLE_COLUMNS = 4
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def _add_class(element: etree.Element, classes: str) -> None:
    existing = element.get("class")
    element.set("class", f"{existing} {classes}" if existing else classes)


def _text(element: etree.Element) -> str:
    return " ".join("".join(element.itertext()).split())


class GovukClassesTreeprocessor(Treeprocessor):
    """Adds GOV.UK Frontend classes; makes tables accessible (column and row headers,
    no inline styles) and puts wide tables in a scrolling region named by the heading
    before them."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag in CLASSES:
                _add_class(element, CLASSES[element.tag])
        for table in list(root.iter("table")):
            self._table(table)
        self._wrap_wide_tables(root)

    def _table(self, table: etree.Element) -> None:
        for cell in table.iter():
            if cell.tag not in {"th", "td"}:
                continue
            # The tables extension aligns with an attribute (see use_align_attribute);
            # right-aligned columns are numbers.
            if cell.attrib.pop("align", None) == "right":
                numeric = "header" if cell.tag == "th" else "cell"
                _add_class(cell, f"govuk-table__{numeric}--numeric")
        for header in table.iterfind("thead/tr/th"):
            header.set("scope", "col")
        # A first cell that is wholly bold is the row's header.
        for row in table.iterfind("tbody/tr"):
            first = row.find("td")
            if (
                first is not None
                and list(row).index(first) == 0
                and not (first.text or "").strip()
                and len(first) == 1
                and first[0].tag == "strong"
                and not (first[0].tail or "").strip()
            ):
                first.tag = "th"
                first.set("scope", "row")
                first.set("class", "govuk-table__header")
                strong = first[0]
                first.remove(strong)
                first.text = strong.text
                for child in strong:
                    first.append(child)
        columns = max((len(row) for row in table.iter("tr")), default=0)
        if columns > WIDE_TABLE_COLUMNS:
            _add_class(table, "portal-table--compact")

    def _wrap_wide_tables(self, root: etree.Element) -> None:
        label = "Table"
        for index, element in enumerate(list(root)):
            if element.tag in HEADINGS:
                label = _text(element)
            elif element.tag == "table" and "portal-table--compact" in element.get("class", ""):
                region = etree.Element(
                    "div",
                    {
                        "class": "portal-table-scroll",
                        "role": "region",
                        "aria-label": label,
                        "tabindex": "0",
                    },
                )
                root.remove(element)
                region.append(element)
                root.insert(index, region)


class GovukExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.treeprocessors.register(GovukClassesTreeprocessor(md), "govuk_classes", 0)


@dataclass(frozen=True)
class Page:
    title: str
    html: str


def render(text: str) -> Page:
    """The document as GOV.UK-styled HTML, and its first-level heading as the title."""
    text = COMMENT.sub("", text)
    md = markdown.Markdown(
        extensions=["tables", GovukExtension()],
        extension_configs={"tables": {"use_align_attribute": True}},
        output_format="html",
    )
    html = md.convert(text)
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.DOTALL)
    title = re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else ""
    return Page(title=title, html=html)


@functools.lru_cache(maxsize=16)
def _render_file(path: str, mtime_ns: int) -> Page:
    return render(Path(path).read_text(encoding="utf-8"))


def render_file(path: Path) -> Page:
    """render() for a file, cached per process until the file changes."""
    return _render_file(str(path), path.stat().st_mtime_ns)
