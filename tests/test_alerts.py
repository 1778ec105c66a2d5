"""E-mail alerts (``alerts/``): subscribing with double opt-in, the alerts sent by the
worker once a publication's moment has passed and never before, one per subscriber per
publication, and unsubscribing (the page's button and RFC 8058's one click), which
deletes the address. E-mails are read from Django's locmem backend (``mail.outbox``).

The data is a few councils made by the factories: a round published long ago, and a
round scheduled for next week with a correction the day after.
"""

import datetime as dt
import re
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from alerts import addresses, sending, tasks
from alerts.models import AlertDelivery, Subscription
from ratings import signals

from .factories import AssessmentRoundFactory, CouncilFactory, RatingFactory, RegionFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://127\.0\.0\.1:8000(/alerts/\w+/[^/\s]+/)")
NEW_YEAR = 2006
EVERYONE = "everyone@example.com"
LEEDS_READER = "leeds@example.com"
WALSALL_READER = "walsall@example.com"


@pytest.fixture
def councils():
    yorkshire = RegionFactory(name="Yorkshire and the Humber")
    west_midlands = RegionFactory(name="West Midlands")
    found = {
        "leeds": CouncilFactory(name="Leeds", slug="leeds", region=yorkshire),
        "walsall": CouncilFactory(name="Walsall", slug="walsall", region=west_midlands),
        "dudley": CouncilFactory(name="Dudley", slug="dudley", region=west_midlands),
    }
    old = AssessmentRoundFactory(year=2004)  # published on 18 November 2004
    for council in found.values():
        RatingFactory(round=old, council=council)
    return found


def subscribe(client, email, councils=()):
    """Ask for alerts (every publication, or ``councils``' slugs); the confirmation link's
    path from the e-mail sent."""
    sent = len(mail.outbox)
    data = {"email": email, "scope": "councils" if councils else "everything"}
    if councils:
        data["councils"] = list(councils)
    response = client.post("/alerts/", data)
    assert response.status_code == 302
    assert response["Location"] == "/alerts/check-your-email/"
    assert len(mail.outbox) == sent + 1
    return LINK.search(mail.outbox[-1].body)[1]


def confirm(client, link):
    assert client.post(link).status_code == 200


def subscribed(client, email, councils=()):
    confirm(client, subscribe(client, email, councils))


def alerts_sent():
    """The alerts in the outbox (not the confirmations), as (address, subject)."""
    return sorted((m.to[0], m.subject) for m in mail.outbox if not m.subject.startswith("Confirm"))


@pytest.fixture
def readers(client, councils):
    subscribed(client, EVERYONE)
    subscribed(client, LEEDS_READER, ["leeds"])
    subscribed(client, WALSALL_READER, ["walsall", "dudley"])


@pytest.fixture
def scheduled(councils, django_capture_on_commit_callbacks, settings):
    """The new round for next week (every council), and a correction of Walsall's rating
    for the day after, announced as the workspace announces them: the immediate task
    backend runs the alerts' task at once, long before either moment. (Not the round's
    report files: they are tested where they are built, and take seconds.)"""
    settings.REPORTS_BUILD_ON_PUBLICATION = False
    settings.ALERTS_SEND_ON_PUBLICATION = True  # off elsewhere in the suite
    moment = (timezone.now() + dt.timedelta(days=7)).replace(microsecond=0)
    new = AssessmentRoundFactory(year=NEW_YEAR, methodology_version="2005", publication_at=moment)
    for council in councils.values():
        RatingFactory(round=new, council=council)
    correction = moment + dt.timedelta(days=1)
    RatingFactory(
        round=new,
        council=councils["walsall"],
        revision=2,
        published_at=correction,
        note="Corrected after a factual accuracy check",
        children_serving="yes",
    )
    with (
        mock.patch.object(sending, "send_due_alerts", wraps=sending.send_due_alerts) as ran,
        django_capture_on_commit_callbacks(execute=True),
    ):
        signals.announce_publication_scheduled(NEW_YEAR)
    assert ran.call_count == 1  # the task ran, early
    return {"round": moment, "correction": correction}


def at(moment, seconds=0):
    return time_machine.travel(moment + dt.timedelta(seconds=seconds), tick=False)


# --- sending: never before the moment, once each ------------------------------------------


def test_no_alert_is_sent_before_the_publication_time_whatever_the_queue_does(
    client, readers, scheduled, call
):
    # The announcement ran the task at once (the immediate backend cannot wait): nothing.
    assert alerts_sent() == []
    with at(scheduled["round"], -1):
        # A queue that runs the task early, twice, and the command: still nothing.
        tasks.send_alerts.call()
        tasks.send_alerts.enqueue()
        status, out, _ = call("send_alerts")
        assert status == 0 and out.startswith("0 alerts sent")
    assert alerts_sent() == []
    assert not AlertDelivery.objects.exists()

    with at(scheduled["round"], 1):
        tasks.send_alerts.call()
        tasks.send_alerts.call()  # again, or in another worker: nothing twice
        status, out, _ = call("send_alerts")
        assert out.startswith("0 alerts sent")
    subject = f"Star ratings {NEW_YEAR} published"
    assert alerts_sent() == [
        (EVERYONE, subject),
        (LEEDS_READER, subject),
        (WALSALL_READER, subject),
    ]
    # Nothing about the 2004 round, published before anyone subscribed.
    assert AlertDelivery.objects.filter(year=2004).count() == 0
    assert AlertDelivery.objects.filter(sent_at__isnull=False).count() == 3


def test_a_correction_is_sent_only_to_those_following_everything_or_its_council(
    client, readers, scheduled
):
    with at(scheduled["round"], 1):
        tasks.send_alerts.call()
    mail.outbox.clear()
    with at(scheduled["correction"], -1):
        tasks.send_alerts.call()
    assert alerts_sent() == []
    with at(scheduled["correction"], 1):
        tasks.send_alerts.call()
        tasks.send_alerts.call()
    subject = f"Correction to Walsall’s {NEW_YEAR} star rating"
    # Not Leeds's reader: the correction covers Walsall only.
    assert alerts_sent() == [(EVERYONE, subject), (WALSALL_READER, subject)]
    body = mail.outbox[0].body
    assert "Corrected after a factual accuracy check" in body
    assert f"/councils/walsall/{NEW_YEAR}/" in body
    assert "Leeds" not in body


def test_council_readers_hear_of_their_councils_and_everyone_of_the_round(
    client, readers, scheduled
):
    with at(scheduled["round"], 1):
        tasks.send_alerts.call()
    by_address = {m.to[0]: m.body for m in mail.outbox if m.subject.startswith("Star")}
    assert f"http://127.0.0.1:8000/ratings/{NEW_YEAR}/" in by_address[EVERYONE]
    assert "Walsall" not in by_address[EVERYONE]  # the round's pages, not 3 lines
    assert f"http://127.0.0.1:8000/councils/leeds/{NEW_YEAR}/" in by_address[LEEDS_READER]
    assert "Walsall" not in by_address[LEEDS_READER]
    walsall = by_address[WALSALL_READER]
    assert "Walsall: " in walsall and "Dudley: " in walsall and "Leeds" not in walsall


def test_an_alert_names_its_unsubscribe_link_in_its_headers_and_its_body(
    client, readers, scheduled
):
    with at(scheduled["round"], 1):
        tasks.send_alerts.call()
    message = next(m for m in mail.outbox if m.to == [LEEDS_READER] and "published" in m.subject)
    header = message.extra_headers["List-Unsubscribe"]
    assert re.fullmatch(r"<http://127\.0\.0\.1:8000/alerts/unsubscribe/[^/\s]+/>", header)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert header[1:-1] in message.body
    assert message.from_email == "no-reply@localhost"
    # The headers reach the message as sent.
    sent = message.message()
    assert re.sub(r"\s+", "", sent["List-Unsubscribe"]) == header
    assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_failed_send_is_tried_again_by_the_next_run(client, readers, scheduled):
    with (
        at(scheduled["round"], 1),
        mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages",
            side_effect=OSError("mail server down"),
        ),
    ):
        assert "0 alerts sent" in tasks.send_alerts.call()
    assert not AlertDelivery.objects.exists()
    with at(scheduled["round"], 60):
        assert tasks.send_alerts.call().startswith("3 alerts sent")


def test_a_publication_is_queued_for_its_moment_where_the_queue_can_wait(councils, settings):
    settings.ALERTS_SEND_ON_PUBLICATION = True
    moment = timezone.now() + dt.timedelta(days=7)
    AssessmentRoundFactory(year=NEW_YEAR, publication_at=moment)
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    ):
        tasks.on_publication_scheduled(year=NEW_YEAR)
        queued = tasks.send_alerts.get_backend().results
        assert [r.task.run_after for r in queued] == [None, moment]


# --- subscribing ---------------------------------------------------------------------------


def test_subscribing_sends_a_confirmation_and_alerts_start_only_once_it_is_followed(
    client, councils
):
    link = subscribe(client, "Reader@Example.com ", ["leeds"])
    message = mail.outbox[0]
    assert message.to == ["reader@example.com"]
    assert message.subject.startswith("Confirm your email alerts")
    assert "Leeds" in message.body
    waiting = Subscription.objects.get()
    assert waiting.confirmed_at is None
    assert waiting.email_hash == addresses.keyed_hash("reader@example.com")
    assert "reader" not in waiting.email_hash
    page = client.get("/alerts/check-your-email/")
    assert "Check your email" in page.content.decode()

    # A mail scanner opening the link confirms nothing: the page shows a button.
    shown = client.get(link)
    assert shown.status_code == 200
    assert "Cache-Control" in shown and "no-store" in shown["Cache-Control"]
    assert '<button type="submit"' in shown.content.decode()
    assert Subscription.objects.get().confirmed_at is None
    response = client.post(link)
    assert "You will get email alerts" in response.content.decode()
    assert Subscription.objects.get().confirmed_at is not None
    assert client.post(link).status_code == 200  # twice: still confirmed, once
    assert Subscription.objects.count() == 1


def test_asking_again_answers_the_same_and_changes_nothing_until_confirmed(client, councils):
    subscribed(client, EVERYONE)
    link = subscribe(client, EVERYONE.upper(), ["leeds"])
    assert Subscription.objects.get(confirmed_at__isnull=False).everything
    confirm(client, link)
    (subscription,) = Subscription.objects.all()
    assert not subscription.everything
    assert [c.slug for c in subscription.councils.all()] == ["leeds"]
    # The address is sent at most ALERTS_EMAIL_LIMIT confirmations an hour; the answer
    # does not say so.
    last = subscribe(client, EVERYONE)
    response = client.post(
        "/alerts/", {"email": EVERYONE, "scope": "councils", "councils": ["walsall"]}
    )
    assert response.status_code == 302
    assert response["Location"] == "/alerts/check-your-email/"
    assert len(mail.outbox) == 3
    # ...and the request over the limit changed nothing: the last link sent still works.
    confirm(client, last)
    (subscription,) = Subscription.objects.all()
    assert subscription.everything


@pytest.mark.parametrize(
    "data, message",
    [
        ({"email": "not-an-address", "scope": "everything"}, "Enter an email address in the"),
        ({"email": "", "scope": "everything"}, "Enter your email address"),
        ({"email": "a@example.com"}, "Select what you want alerts about"),
        ({"email": "a@example.com", "scope": "councils"}, "Select at least one council"),
        (
            {"email": "a@example.com", "scope": "councils", "councils": ["nowhere\x00"]},
            "Select councils from the list",
        ),
    ],
)
def test_a_mistake_gets_an_error_summary_and_nothing_is_stored_or_sent(
    client, councils, data, message
):
    response = client.post("/alerts/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and message in html
    assert "<title>Error: Get email alerts" in html
    assert not Subscription.objects.exists()
    assert mail.outbox == []


def test_the_form_is_rate_limited_per_client_address(client, councils):
    with override_settings(ALERTS_SUBSCRIBE_LIMIT=2):
        subscribe(client, "one@example.com")
        subscribe(client, "two@example.com")
        response = client.post("/alerts/", {"email": "three@example.com", "scope": "everything"})
        assert response.status_code == 429
        assert "You can ask again in an hour" in response.content.decode()
        # Another address is another client.
        other = client.post(
            "/alerts/", {"email": "four@example.com", "scope": "everything"}, REMOTE_ADDR="10.0.0.9"
        )
        assert other.status_code == 302
    assert not Subscription.objects.filter(email="three@example.com").exists()


def test_a_council_page_links_to_alerts_with_the_council_ticked(client, councils):
    assert 'href="/alerts/?council=leeds"' in client.get("/councils/leeds/").content.decode()
    html = client.get("/alerts/?council=leeds").content.decode()
    assert 'id="council-leeds" name="councils" type="checkbox" value="leeds" checked' in html
    assert 'id="scope-councils" name="scope" type="radio" value="councils" checked' in html
    assert 'value="walsall" checked' not in html
    assert 'href="/alerts/"' in html  # the navigation


def test_unconfirmed_addresses_are_deleted_once_their_link_has_expired(client, councils, call):
    link = subscribe(client, "late@example.com")
    subscribed(client, EVERYONE)
    with at(timezone.now(), 8 * 24 * 60 * 60):
        assert client.get(link).status_code == 400
        assert "This link has expired" in client.get(link).content.decode()
        status, out, _ = call("prune_alerts")
    assert out.startswith("1 unconfirmed address deleted")
    assert list(Subscription.objects.values_list("email", flat=True)) == [EVERYONE]


# --- unsubscribing -------------------------------------------------------------------------


def unsubscribe_path(client, email, readers_scheduled):
    with at(readers_scheduled["round"], 1):
        tasks.send_alerts.call()
    message = next(m for m in mail.outbox if m.to == [email] and "published" in m.subject)
    return LINK.search(message.extra_headers["List-Unsubscribe"])[1]


def test_the_unsubscribe_button_deletes_the_subscription_and_the_address(
    client, readers, scheduled
):
    path = unsubscribe_path(client, LEEDS_READER, scheduled)
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(path)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert Subscription.objects.filter(email=LEEDS_READER).exists()  # a GET changes nothing
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    # The page's own form is checked for its CSRF token...
    assert visitor.post(path).status_code == 403
    response = visitor.post(path, {"csrfmiddlewaretoken": token})
    assert "You have unsubscribed" in response.content.decode()
    assert not Subscription.objects.filter(email=LEEDS_READER).exists()
    assert not AlertDelivery.objects.filter(subscription__email=LEEDS_READER).exists()
    assert addresses.keyed_hash(LEEDS_READER) not in set(
        Subscription.objects.values_list("email_hash", flat=True)
    )
    # Followed again, the link says so.
    assert "not subscribed" in visitor.get(path).content.decode()


def test_one_click_unsubscribe_works_without_a_csrf_token(client, readers, scheduled):
    path = unsubscribe_path(client, WALSALL_READER, scheduled)
    response = Client(enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert not Subscription.objects.filter(email=WALSALL_READER).exists()
    assert Subscription.objects.count() == 2
    # Nothing more for the address at the correction.
    mail.outbox.clear()
    with at(scheduled["correction"], 1):
        tasks.send_alerts.call()
    assert alerts_sent() == [(EVERYONE, f"Correction to Walsall’s {NEW_YEAR} star rating")]


@pytest.mark.parametrize(
    "path",
    [
        "/alerts/confirm/not-a-token/",
        "/alerts/unsubscribe/not-a-token/",
        "/alerts/confirm/1.abc:1tAbCd:forged/",
        "/alerts/unsubscribe/1.abc:forged/",
    ],
)
def test_a_bad_link_answers_a_clear_page_not_a_server_error(client, path):
    for response in (client.get(path), client.post(path)):
        assert response.status_code == 404
        assert "This link is not valid" in response.content.decode()


def test_a_link_of_one_kind_is_not_a_link_of_the_other(client, councils):
    link = subscribe(client, "reader@example.com")
    token = link.split("/")[3]
    response = client.post(f"/alerts/unsubscribe/{token}/")
    assert response.status_code == 404
    assert Subscription.objects.exists()
