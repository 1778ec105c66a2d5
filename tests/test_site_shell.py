"""The site shell: the GOV.UK Frontend build, the base layout, the static pages, robots.txt,
the sitemap and the error pages."""

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import get_template, render_to_string
from django.test import RequestFactory
from django.urls import reverse

from portal import govuk_markdown, urls, views
from tests.factories import AssessmentRoundFactory

pytestmark = [
    pytest.mark.django_db,
    # WhiteNoise looks for STATIC_ROOT, which only collectstatic (for deployment) makes.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

STATIC_PAGES = ["home", "methodology", "about", "accessibility", "open-data"]
OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
STATIC_URL = re.compile(r'(?:src|href)="/static/([^"]+)"')


def page(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200, name
    return response.content.decode()


def built_css():
    path = finders.find("portal/portal.css")
    assert path, "static/portal/portal.css is missing: run `make install` to build it"
    with open(path, encoding="utf-8") as css:
        return css.read()


def assert_no_inline_script_or_style(html):
    for attributes, content in SCRIPT.findall(html):
        assert "src=" in attributes, f"inline script: <script{attributes}>"
        assert not content.strip(), f"script with content: {content[:80]!r}"
    assert not re.search(r"<[^>]+\sstyle\s*=", html, re.IGNORECASE), "style= attribute"
    assert not re.search(r"<style\b", html, re.IGNORECASE), "<style> element"


# --- The static pages -------------------------------------------------------------------


@pytest.mark.parametrize("name", STATIC_PAGES)
def test_static_page_answers_with_the_portal_name_and_one_h1(client, name):
    html = page(client, name)
    assert settings.PORTAL_NAME in html
    assert len(re.findall(r"<h1[\s>]", html)) == 1


@pytest.mark.parametrize("name", STATIC_PAGES)
def test_static_page_uses_the_govuk_template(client, name):
    html = page(client, name)
    assert '<html lang="en-GB" class="govuk-template">' in html
    assert '<body class="govuk-template__body">' in html
    assert '<a href="#main-content" class="govuk-skip-link"' in html
    assert '<main class="govuk-main-wrapper" id="main-content">' in html
    assert "govuk-phase-banner" in html and ">Beta<" in html
    assert 'class="govuk-service-navigation"' in html


@pytest.mark.parametrize("name", STATIC_PAGES)
def test_static_page_has_no_inline_script_or_style(client, name):
    assert_no_inline_script_or_style(page(client, name))


@pytest.mark.parametrize("name", STATIC_PAGES)
def test_footer_links_the_pages_and_states_the_open_government_licence(client, name):
    html = page(client, name)
    footer = html[html.index('<footer class="govuk-footer">') :]
    assert "All content is available under the" in footer
    assert f'href="{OGL_URL}" rel="license">Open Government Licence v3.0</a>' in footer
    for target in ["about", "accessibility", "open-data", "methodology"]:
        assert f'href="{reverse(target)}"' in footer


def test_pages_show_no_crown_and_not_gov_uk(client):
    for name in STATIC_PAGES:
        html = page(client, name).lower()
        assert "crown" not in html
        assert "gov.uk</" not in html
        assert "govuk-logo" not in html


def test_scripts_are_external_the_enhancement_a_module(client):
    html = page(client, "home")
    assert '<script src="/static/portal/js-enabled.js"></script>' in html
    assert '<script type="module" src="/static/portal/portal.js"></script>' in html
    # js-enabled runs first thing in the body, before anything is drawn.
    body = html[html.index("<body") :]
    assert body.index("js-enabled.js") < body.index("govuk-skip-link")


def test_navigation_marks_the_current_page(client):
    html = page(client, "methodology")
    assert re.search(
        r'href="/methodology/" aria-current="page"><strong '
        r'class="govuk-service-navigation__active-fallback">Methodology</strong>',
        html,
    )
    assert html.count('aria-current="page"') == 1


def test_home_lists_published_rounds_and_says_which_are_sample(client):
    AssessmentRoundFactory(year=2004, title="Star ratings, November 2004", is_sample=True)
    AssessmentRoundFactory(year=2005, title="Star ratings, December 2005", embargoed=True)
    html = page(client, "home")
    assert "Star ratings, November 2004" in html
    assert "Star ratings, December 2005" not in html
    assert "Sample data" in html
    assert "sample data, not the real published ratings" in html


def test_home_without_sample_rounds_shows_no_sample_warning(client):
    AssessmentRoundFactory(year=2004, title="Star ratings, November 2004", is_sample=False)
    html = page(client, "home")
    assert "Star ratings, November 2004" in html
    assert "govuk-warning-text" not in html


def test_methodology_page_shows_the_conversion_table_and_says_it_is_a_reconstruction(client):
    html = page(client, "methodology")
    assert "reconstruction" in html
    assert "<title>How the star ratings are decided – " in html
    # The whole table: 16 rows of adults' judgements, each a row header, in a scrolling
    # region that a keyboard can reach.
    region = re.search(
        r'<div aria-label="The whole table" class="portal-table-scroll" role="region" '
        r'tabindex="0"><table class="govuk-table portal-table--compact">(.*?)</table>\s*</div>',
        html,
        re.DOTALL,
    )
    assert region
    table = region.group(1)
    assert table.count('scope="row"') == 16
    assert table.count('scope="col"') == 17
    assert '<th class="govuk-table__header" scope="row">most, excellent</th>' in table
    assert 'class="govuk-table__cell">3</td>' in table
    assert "<!--" not in html  # the generator's markers stay in the source


def test_markdown_gets_govuk_classes_and_no_inline_styles():
    result = govuk_markdown.render(
        "# Title\n\nText with [a link](/x/).\n\n## Part\n\n- one\n- two\n\n"
        "> Note\n\n| Name | Value |\n|:---|---:|\n| **a** | 1 |\n"
    )
    assert result.title == "Title"
    html = result.html
    assert '<h1 class="govuk-heading-xl">Title</h1>' in html
    assert '<h2 class="govuk-heading-l">Part</h2>' in html
    assert '<a class="govuk-link" href="/x/">a link</a>' in html
    assert '<ul class="govuk-list govuk-list--bullet">' in html
    assert '<blockquote class="govuk-inset-text">' in html
    assert '<table class="govuk-table">' in html
    assert '<th class="govuk-table__header" scope="row">a</th>' in html
    assert 'class="govuk-table__cell govuk-table__cell--numeric">1</td>' in html
    assert "style=" not in html and "align=" not in html


def test_methodology_is_rendered_once_per_process_until_the_file_changes():
    first = govuk_markdown.render_file(views.METHODOLOGY_DOC)
    assert govuk_markdown.render_file(views.METHODOLOGY_DOC) is first


def test_accessibility_statement_is_a_wcag_2_2_aa_statement(client):
    html = page(client, "accessibility")
    for text in [
        "Accessibility statement for",
        "Web Content Accessibility Guidelines version 2.2",
        "AA standard",
        "Equality and Human Rights Commission (EHRC)",
        "Equality Advisory and Support Service (EASS)",
        "Automated checks run in the website’s test suite",
        "axe-core",
        "using only a keyboard",
    ]:
        assert text in html


def test_open_data_page_gives_the_licence_and_the_formats(client):
    html = page(client, "open-data")
    assert f'href="{OGL_URL}"' in html
    assert "Contains public sector information licensed under the Open Government" in html
    for text in ["CSV", "Excel", "JSON", "/api/"]:
        assert text in html


# --- robots.txt and the sitemap ---------------------------------------------------------


def test_robots_txt_allows_all_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Allow: /" in lines
    assert not any(line.startswith("Disallow: /") for line in lines)
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_sitemap_lists_the_static_pages(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    xml = response.content.decode()
    for name in STATIC_PAGES:
        assert f"<loc>http://testserver{reverse(name)}</loc>" in xml


# --- Error pages ------------------------------------------------------------------------


def test_unknown_url_answers_404_with_the_404_template(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]
    html = response.content.decode()
    assert settings.PORTAL_NAME in html
    assert "Page not found" in html
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert_no_inline_script_or_style(html)


def test_500_template_renders_standalone():
    html = get_template("500.html").render({})
    assert "Sorry, there is a problem with the service" in html
    assert '<html lang="en-GB" class="govuk-template">' in html
    assert 'href="/static/portal/portal.css"' in html
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert "Open Government Licence v3.0" in html
    assert_no_inline_script_or_style(html)


def test_500_handler_names_the_portal_without_the_request_context():
    assert urls.handler500 == "portal.views.server_error"
    response = views.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert settings.PORTAL_NAME in html
    assert settings.INSPECTORATE_NAME in html


# --- The includes others reuse ----------------------------------------------------------


@pytest.mark.parametrize(
    ("stars", "symbols", "text"),
    [(3, "★★★", "3 stars"), (2, "★★☆", "2 stars"), (1, "★☆☆", "1 star"), (0, "☆☆☆", "0 stars")],
)
def test_stars_show_symbols_and_words(stars, symbols, text):
    html = render_to_string("includes/_stars.html", {"stars": stars})
    assert f'<span class="stars__symbols" aria-hidden="true">{symbols}</span>' in html
    assert f'<span class="stars__text">{text}</span>' in html
    assert_no_inline_script_or_style(html)


def test_stars_of_an_unrated_council_say_not_rated():
    html = render_to_string("includes/_stars.html", {"stars": None})
    assert '<span class="stars__text">Not rated</span>' in html
    assert "★" not in html and "☆" not in html


def test_sample_banner_warns_that_figures_are_sample_data():
    html = render_to_string("includes/_sample_banner.html")
    assert "govuk-warning-text" in html
    assert "sample data, not the real published ratings" in html


# --- The front-end build ----------------------------------------------------------------


def test_built_files_are_found_by_staticfiles():
    for path in [
        "portal/portal.css",
        "portal/js-enabled.js",
        "portal/portal.js",
        "portal/favicon.svg",
        "vendor/govuk/govuk-frontend.min.js",
    ]:
        assert finders.find(path), f"{path} is missing: run `make install` to build it"


def test_every_static_file_a_page_refers_to_exists(client):
    for name in STATIC_PAGES:
        for path in STATIC_URL.findall(page(client, name)):
            assert finders.find(path), path


def test_built_css_is_govuk_frontend_without_gds_transport_or_the_crown():
    css = built_css()
    assert ".govuk-header" in css and ".govuk-table" in css
    assert "GDS Transport" not in css
    assert "@font-face" not in css
    assert "font-family:arial,sans-serif" in css
    urls_in_css = re.findall(r"url\(([^)]*)\)", css)
    assert not [url for url in urls_in_css if "crest" in url or "crown" in url]


def test_built_css_has_the_stars_component_and_print_styles():
    css = built_css()
    assert ".stars__symbols" in css and ".stars__text" in css
    assert "@media print" in css
    assert '" (" attr(href) ")"' in css
