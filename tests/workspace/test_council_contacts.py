"""Council contacts: their council's rating from ``pre_release_days`` before publication,
never before and never another council's; every look logged and the access list
published; factual-accuracy challenges answered by a lead inspector; after publication,
representations and the right of reply (on the page, in the API and in the report)."""

import datetime as dt
from xml.etree import ElementTree

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ratings.models import CouncilResponse, PreReleaseAccess, Representation
from workspace.models import Challenge, PreReleaseView

from . import staff

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def soon():
    """A round of two councils scheduled for two days from now (inside a 4-day window)."""
    publication = (timezone.now() + dt.timedelta(days=2)).replace(microsecond=0)
    case = staff.scheduled_round(publication)
    first, second = case.councils
    return case, staff.contact(first, "alice", first_name="Alice", last_name="Jones"), first, second


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_contact_sees_their_council_only_inside_the_window_and_every_look_is_logged(soon):
    case, alice, first, second = soon
    client = _as(alice)
    url = reverse("workspace:council-round", args=[case.round.year])

    # Before the window (five days before publication): refused, with when it opens.
    with time_machine.travel(case.round.publication_at - dt.timedelta(days=5)):
        client = _as(alice)
        refused = client.get(url)
        assert refused.status_code == 403
        assert "You will see" in refused.content.decode()
        assert "2 stars" not in refused.content.decode()
        home = client.get(reverse("workspace:council-home")).content.decode()
        assert "you will see" in home and url not in home

    client = _as(alice)
    page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert page.headers["Cache-Control"].startswith("max-age=0")
    assert "Embargoed until" in text and first.name in text and "2 stars" in text
    assert second.name not in text
    client.get(url)
    assert PreReleaseView.objects.filter(user=alice, council=first).count() == 2
    access = PreReleaseAccess.objects.get()
    assert (access.name, access.council, access.round) == ("Alice Jones", first, case.round)

    # The staff workspace is not theirs; its front page sends them to their council's.
    assert client.get(reverse("workspace:round", args=[case.round.year])).status_code == 403
    assert client.get(reverse("workspace:dashboard")).url == reverse("workspace:council-home")

    # The access list is published with the round, and not before.
    listing = reverse("pre-release-access", args=[case.round.year])
    assert Client().get(listing).status_code == 404
    with time_machine.travel(case.round.publication_at + dt.timedelta(minutes=1)):
        published = Client().get(listing).content.decode()
        assert "Alice Jones" in published and first.name in published
        # After publication a look is no longer at embargoed material.
        assert _as(alice).get(url).status_code == 200
    assert PreReleaseView.objects.count() == 2


def test_a_challenge_reaches_the_lead_and_its_answer_the_contact(soon):
    case, alice, first, _ = soon
    client = _as(alice)
    year = case.round.year
    form = reverse("workspace:council-challenge", args=[year])

    bad = client.post(form, {"subject": "judgement", "about": "", "evidence": ""})
    assert bad.status_code == 400
    assert "There is a problem" in bad.content.decode()
    wrong_file = client.post(
        form,
        {
            "subject": "indicator",
            "about": "BV 54",
            "evidence": "The value is last year's.",
            "evidence_file": SimpleUploadedFile("evil.exe", b"MZ"),
        },
    )
    assert wrong_file.status_code == 400
    assert not Challenge.objects.exists()

    made = client.post(
        form,
        {
            "subject": "indicator",
            "about": "BV 54",
            "evidence": "The value is last year's.",
            "evidence_file": SimpleUploadedFile("return.csv", b"indicator,value\nBV 54,81\n"),
        },
    )
    assert made.status_code == 302
    challenge = Challenge.objects.get()
    assert (challenge.council, challenge.raised_by, challenge.is_open) == (first, alice, True)

    lead = _as(staff.lead())
    queue = lead.get(reverse("workspace:challenges", args=[year])).content.decode()
    assert "BV 54" in queue and "Open" in queue
    evidence = lead.get(reverse("workspace:challenge-evidence", args=[year, challenge.pk]))
    assert b"".join(evidence.streaming_content) == b"indicator,value\nBV 54,81\n"
    assert client.get(reverse("workspace:challenge", args=[year, challenge.pk])).status_code == 403

    # The publisher sees the open challenge before publishing.
    publisher = _as(staff.publisher())
    page = publisher.get(reverse("workspace:publication", args=[year])).content.decode()
    assert "1 factual accuracy challenge is open" in page

    answer = reverse("workspace:challenge", args=[year, challenge.pk])
    assert lead.post(answer, {"outcome": "not_upheld"}).status_code == 400
    assert (
        lead.post(answer, {"outcome": "not_upheld", "answer": "It is 2005's."}).status_code == 302
    )
    challenge.refresh_from_db()
    assert challenge.outcome == "not_upheld" and challenge.history.count() == 2
    shown = client.get(reverse("workspace:council-round", args=[year])).content.decode()
    assert "Not upheld" in shown and "It is 2005&#x27;s." in shown

    # No challenge after publication: a representation instead.
    with time_machine.travel(case.round.publication_at + dt.timedelta(minutes=1)):
        assert _as(alice).get(form).status_code == 403


def test_after_publication_a_representation_and_a_response_are_public(soon):
    case, alice, first, _ = soon
    client = _as(alice)
    year = case.round.year
    assert client.get(reverse("workspace:council-representation", args=[year])).status_code == 403
    with time_machine.travel(case.round.publication_at + dt.timedelta(hours=1)):
        client = _as(alice)
        made = client.post(
            reverse("workspace:council-representation", args=[year]),
            {"grounds": "The children's judgement ignores our 2006 inspection."},
        )
        assert made.status_code == 302
        public = reverse("council-year", args=[first.slug, year])
        assert "A representation about this rating is being considered" in (
            Client().get(public).content.decode()
        )
        assert Client().get(reverse("api:council-detail", args=[first.slug])).json()[
            "representations_being_considered"
        ] == [year]

        too_long = client.post(
            reverse("workspace:council-response", args=[year]),
            {"text": "x" * (CouncilResponse.MAX_LENGTH + 1)},
        )
        assert too_long.status_code == 400 and not CouncilResponse.objects.exists()
        client.post(
            reverse("workspace:council-response", args=[year]),
            {"text": "We welcome the rating and will build on it."},
        )
        response = CouncilResponse.objects.get()
        assert "We welcome" not in Client().get(public).content.decode()  # not moderated yet

        publisher = _as(staff.publisher())
        moderate = reverse("workspace:response", args=[response.pk])
        assert publisher.post(moderate, {"publish": "no"}).status_code == 400
        assert publisher.post(moderate, {"publish": "yes"}).status_code == 302
        page = Client().get(public).content.decode()
        assert "We welcome the rating and will build on it." in page
        assert f"Response from {first.name}, published" in page
        detail = Client().get(reverse("api:council-detail", args=[first.slug])).json()
        assert detail["responses"][0]["text"] == "We welcome the rating and will build on it."
        feed = ElementTree.fromstring(
            Client().get(reverse("council-feed", args=[first.slug])).content
        )
        titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
        assert f"{first.name}: the council's response to its {year} star rating" in titles

        decide = reverse("workspace:representation", args=[year, Representation.objects.get().pk])
        assert _as(staff.lead()).post(decide, {"upheld": "no", "decision": "x"}).status_code == 403
        done = publisher.post(decide, {"upheld": "no", "decision": "The judgement stands."})
        assert done.status_code == 302
        assert "being considered" not in Client().get(public).content.decode()


def test_a_contact_of_a_council_not_rated_in_the_round_sees_nothing(soon):
    case, _, _, _ = soon
    from tests import factories

    elsewhere = staff.contact(factories.CouncilFactory(), "bob")
    assert (
        _as(elsewhere).get(reverse("workspace:council-round", args=[case.round.year])).status_code
        == 404
    )
    assert not PreReleaseView.objects.exists()


def test_the_leads_queue_lists_open_challenges_first(soon):
    from workspace.services import council_voice as voice

    case, alice, first, _ = soon
    older, newer = (
        voice.raise_challenge(
            case.round, first, alice, subject="statement", about=about, evidence="See p. 2."
        )
        for about in ("Older", "Newer")
    )
    voice.answer_challenge(older, staff.lead(), outcome="upheld", answer="Corrected.")
    queue = _as(staff.lead()).get(reverse("workspace:challenges", args=[case.round.year]))
    text = queue.content.decode()
    assert text.index("Newer") < text.index("Older")
