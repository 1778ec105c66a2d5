"""Feedback on the public pages: "Is this page useful?" and "Report a problem with this
page" at the foot of each, kept for staff with nothing that identifies the visitor,
rate-limited, and no obstacle to the page cache."""

import re

import pytest
from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.test import Client

from feedback import throttle
from feedback.models import PageFeedback
from workspace import roles

from .factories import CouncilFactory, RatingFactory
from .workspace.staff import StaffFactory

pytestmark = pytest.mark.django_db

FORM = 'action="/feedback/"'


def send(client, **data):
    return client.post("/feedback/", data)


def thanks_link(response) -> str:
    html = response.content.decode()
    return re.search(r'href="([^"]*)">Go (?:back to the page you were on|to the home page)', html)[
        1
    ]


def test_yes_and_no_are_kept_with_the_page_and_the_visitor_is_thanked(client):
    answer = send(client, page="/about/", useful="yes")
    assert answer.status_code == 303
    assert answer["Location"] == "/feedback/thanks/?page=%2Fabout%2F"
    thanks = client.get(answer["Location"])
    assert "Thank you for your feedback" in thanks.content.decode()
    assert thanks_link(thanks) == "/about/"
    assert send(client, page="/methodology/", useful="no").status_code == 303
    assert list(PageFeedback.objects.order_by("id").values_list("path", "useful")) == [
        ("/about/", True),
        ("/methodology/", False),
    ]


def test_a_problem_report_is_kept_without_a_csrf_token():
    # The form sits in pages cached for everyone, so it carries no token (feedback/views.py).
    client = Client(enforce_csrf_checks=True)
    answer = send(
        client, page="/open-data/", doing="Downloading the CSV", went_wrong="It was empty"
    )
    assert answer.status_code == 303
    kept = PageFeedback.objects.get()
    assert (kept.path, kept.useful, kept.doing, kept.went_wrong) == (
        "/open-data/",
        None,
        "Downloading the CSV",
        "It was empty",
    )


def test_only_the_path_is_kept_never_the_query_string(client):
    send(client, page="/councils/?q=ann@example.com&token=abc123#top", useful="no")
    assert PageFeedback.objects.get().path == "/councils/"


def test_a_client_may_send_ten_in_ten_minutes_then_gets_a_429_and_nothing_is_kept(client):
    for _ in range(throttle.LIMIT):
        assert send(client, page="/about/", useful="yes").status_code == 303
    refused = send(client, page="/about/", went_wrong="Too much")
    assert refused.status_code == 429
    assert "sent a lot of feedback in a short time" in refused.content.decode()
    assert refused["Retry-After"] == "600"
    assert PageFeedback.objects.count() == throttle.LIMIT
    # Another client is not held back, and the limit keeps no address, only a keyed hash.
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert send(other, page="/about/", useful="yes").status_code == 303
    keys = list(caches["throttle"]._cache)
    assert keys and not any("127.0.0.1" in key or "192.0.2.7" in key for key in keys)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"useful": "yes"}, "could not tell which page"),
        ({"page": "https://evil.example/", "useful": "yes"}, "could not tell which page"),
        ({"page": "//evil.example/", "useful": "yes"}, "could not tell which page"),
        ({"page": "/\\evil.example/", "useful": "yes"}, "could not tell which page"),
        ({"page": "/no-such-page/", "useful": "yes"}, "could not tell which page"),
        ({"page": "/workspace/", "useful": "yes"}, "could not tell which page"),
        ({"page": "/about/\x00", "useful": "yes"}, "could not tell which page"),
        ({"page": "/" + "a" * 600, "useful": "yes"}, "could not tell which page"),
        ({"page": "/about/", "useful": "maybe"}, "Choose Yes or No"),
        ({"page": "/about/"}, "Enter what you were doing or what went wrong"),
        ({"page": "/about/", "doing": "  ", "went_wrong": ""}, "Enter what you were doing"),
        (
            {"page": "/about/", "went_wrong": "x" * 1201},
            "What went wrong must be 1,200 characters or fewer",
        ),
        ({"page": "/about/", "doing": "a\x00b"}, "Null characters are not allowed"),
    ],
)
def test_bad_input_is_a_400_that_says_why_and_keeps_nothing(client, data, message):
    answer = send(client, **data)
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert not PageFeedback.objects.exists()


def test_a_report_too_long_is_shown_again_to_be_shortened(client):
    answer = send(client, page="/about/", doing="Reading", went_wrong="x" * 1201)
    html = answer.content.decode()
    assert 'href="#feedback-went_wrong"' in html  # the error summary links to the field
    assert ">Reading</textarea>" in html
    assert 'name="page" value="/about/"' in html


@pytest.mark.parametrize(
    "page", ["//evil.example/", "https://evil.example/", "/\\evil.example", "/nowhere/", ""]
)
def test_the_thank_you_page_links_only_to_a_page_of_this_site(client, page):
    thanks = client.get("/feedback/thanks/", {"page": page})
    assert thanks.status_code == 200
    assert thanks_link(thanks) == "/"
    assert "evil.example" not in thanks.content.decode()


def test_asking_for_the_form_address_says_how_to_send_feedback(client):
    answer = client.get("/feedback/")
    assert answer.status_code == 405
    assert answer["Allow"] == "POST"
    assert "form at the foot of each page" in answer.content.decode()


def test_public_pages_have_the_form_and_staff_and_error_pages_do_not(client):
    RatingFactory(round__year=2004, council=CouncilFactory(name="Walsall", slug="walsall"))
    for path in ("/", "/councils/walsall/", "/ratings/2004/"):
        html = client.get(path).content.decode()
        assert html.count(FORM) == 2, path  # Yes/No, and the problem report
        assert f'name="page" value="{path}"' in html
        assert "Report a problem with this page" in html
    login = client.get("/workspace/", follow=True)
    assert login.redirect_chain and "/accounts/login/" in login.redirect_chain[-1][0]
    for response in (login, client.get("/no-such-page/")):
        assert FORM not in response.content.decode()


def test_a_cached_public_page_with_the_form_is_still_served_from_the_cache(
    client, django_assert_max_num_queries
):
    RatingFactory(round__year=2004, council=CouncilFactory(name="Walsall", slug="walsall"))
    for path in ("/", "/ratings/2004/"):
        first = client.get(path)
        assert FORM in first.content.decode()
        # No CSRF token, so no cookie: the page is for everyone, and cached.
        assert "csrfmiddlewaretoken" not in first.content.decode()
        assert not first.cookies
        assert first["Cache-Control"].startswith("public")
        with django_assert_max_num_queries(1):
            again = client.get(path)
        assert again.content == first.content


def test_staff_read_feedback_in_the_admin_and_nobody_edits_it():
    send(Client(), page="/about/", went_wrong="The link to the accessibility statement")
    url = "/admin/feedback/pagefeedback/"
    for user in (
        StaffFactory(username="root", is_staff=True, is_superuser=True),
        StaffFactory(username="ada", is_staff=True, role=roles.ADMINISTRATOR),
    ):
        client = Client()
        client.force_login(user)
        listing = client.get(url)
        assert listing.status_code == 200
        assert "The link to the accessibility statement" in listing.content.decode()
        assert client.get(url + "add/").status_code == 403
        detail = client.get(f"{url}{PageFeedback.objects.get().pk}/change/")
        assert detail.status_code == 200
        assert 'name="went_wrong"' not in detail.content.decode()  # read-only
        assert client.get(url, {"kind": "problem"}).status_code == 200
    client = Client()
    client.force_login(StaffFactory(username="ina", is_staff=True, role=roles.INSPECTOR))
    assert client.get(url).status_code == 403


def test_the_database_refuses_feedback_that_says_nothing_or_too_much():
    for fields in ({}, {"doing": "x" * 1201}, {"useful": True, "went_wrong": "y" * 1201}):
        with pytest.raises(IntegrityError), transaction.atomic():
            PageFeedback.objects.create(path="/about/", **fields)
