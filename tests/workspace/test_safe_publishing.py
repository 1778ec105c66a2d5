"""Safe publishing (issue 10): no staff path publishes early by accident, a step taken
twice is taken once, and two lead inspectors cannot both decide the same assessment."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ratings import models
from workspace import models as workspace_models
from workspace import services as work

from . import staff
from .test_publication import agree_all, publish_now

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def case():
    return staff.open_round()


# --- 2. the publication form takes only future times; "Publish now" is two steps --------


@pytest.mark.parametrize(
    "date, time",
    [
        ("0001-01-01", "00:00"),  # the example
        ("2020-01-01", "09:30"),
        (None, None),  # a minute ago
    ],
)
def test_the_publication_form_refuses_a_time_in_the_past(case, date, time):
    agree_all(case)
    publisher = signed_in(staff.publisher())
    if date is None:
        local = timezone.localtime(timezone.now() - dt.timedelta(minutes=1))
        date, time = local.date().isoformat(), local.strftime("%H:%M")

    response = publisher.post(
        reverse("workspace:publication", args=[case.round.year]),
        {"action": "schedule", "date": date, "time": time},
    )

    assert response.status_code == 400
    assert "The publication time must be in the future" in response.content.decode()
    case.round.refresh_from_db()
    assert case.round.status == models.RoundStatus.OPEN
    assert case.round.publication_at is None
    assert not models.Rating.objects.exists()
    assert Client().get(reverse("league-table", args=[case.round.year])).status_code == 404


def test_no_other_path_schedules_a_time_in_the_past(case):
    agree_all(case)
    with pytest.raises(work.WorkflowError, match="must be in the future"):
        work.schedule_round(case.round, timezone.now() - dt.timedelta(seconds=1), user=None)
    case.round.refresh_from_db()
    assert case.round.publication_at is None
    assert not models.Rating.objects.exists()


def test_publish_now_shows_what_becomes_public_and_waits_for_confirmation(case):
    agree_all(case, four=("most", "promising", "yes", "excellent"))
    publisher = signed_in(staff.publisher())
    url = reverse("workspace:publication", args=[case.round.year])

    check = publisher.post(url, {"action": "publish-now"})

    page = check.content.decode()
    assert check.status_code == 200
    assert "What becomes public: 2 councils" in page
    assert "3 stars" in page and "Yes, publish the 2006 round now" in page
    assert check.context["preview"].stars["3 stars"] == 2
    case.round.refresh_from_db()
    assert case.round.status == models.RoundStatus.OPEN  # nothing published yet
    assert not models.Rating.objects.exists()

    confirmed = publisher.post(
        url,
        {"action": "publish-now-confirmed", "fingerprint": check.context["preview"].fingerprint},
    )

    assert confirmed.status_code == 302
    case.round.refresh_from_db()
    assert case.round.is_published()
    public = Client().get(reverse("council-year", args=[case.council.slug, case.round.year]))
    assert public.status_code == 200


def test_a_confirmation_for_other_judgements_publishes_nothing(case):
    agree_all(case)
    publisher = signed_in(staff.publisher())
    url = reverse("workspace:publication", args=[case.round.year])
    fingerprint = publisher.post(url, {"action": "publish-now"}).context["preview"].fingerprint
    # A lead returns one and another agrees it again: the publisher saw other judgements.
    assessment = workspace_models.Assessment.objects.filter(round=case.round).first()
    lead = staff.lead("lead-b")
    work.return_to_inspector(assessment, lead, "Check the evidence.")
    assessment = work.submit(
        workspace_models.Assessment.objects.get(pk=assessment.pk), case.inspector
    )
    work.agree(assessment, staff.lead("lead-c"))

    response = publisher.post(url, {"action": "publish-now-confirmed", "fingerprint": fingerprint})

    assert response.status_code == 409
    assert "changed after you checked" in response.content.decode()
    case.round.refresh_from_db()
    assert not case.round.is_published()
    assert not models.Rating.objects.exists()


# --- 4. moderation and corrections under a lock, repeated steps taken once ---------------


def test_a_return_and_an_agree_of_the_same_assessment_cannot_both_succeed(case):
    inspector = signed_in(case.inspector)
    args = [case.round.year, case.council.slug]
    inspector.post(reverse("workspace:assessment", args=args), staff.judgements_post(1))
    inspector.post(reverse("workspace:submit", args=args))
    # Both lead inspectors have the submitted assessment on their screen.
    on_screen = workspace_models.Assessment.objects.get(council=case.council)
    first, second = staff.lead("lead-a"), staff.lead("lead-b")

    work.return_to_inspector(on_screen, first, "The evidence for adults is thin.")
    with pytest.raises(work.WorkflowError, match="Only a submitted assessment can be agreed"):
        work.agree(on_screen, second)

    stored = workspace_models.Assessment.objects.get(council=case.council)
    assert (stored.state, stored.moderated_by) == ("returned", first)


def test_the_later_of_a_return_and_an_agree_is_refused_with_the_reason(case):
    inspector = signed_in(case.inspector)
    args = [case.round.year, case.council.slug]
    inspector.post(reverse("workspace:assessment", args=args), staff.judgements_post(1))
    inspector.post(reverse("workspace:submit", args=args))
    first = signed_in(staff.lead("lead-a"))
    second = signed_in(staff.lead("lead-b"))
    returned = first.post(reverse("workspace:return", args=args), {"comments": "Thin evidence."})
    assert returned.status_code == 302

    response = second.post(reverse("workspace:agree", args=args))

    assert response.status_code == 403
    assert "Only a submitted assessment can be agreed" in response.content.decode()
    assert workspace_models.Assessment.objects.get(council=case.council).state == "returned"


@pytest.mark.parametrize("step", ["submit", "agree"])
def test_a_step_asked_for_twice_is_taken_once(case, step):
    inspector = signed_in(case.inspector)
    lead = signed_in(staff.lead())
    args = [case.round.year, case.council.slug]
    inspector.post(reverse("workspace:assessment", args=args), staff.judgements_post(1))
    if step == "agree":
        inspector.post(reverse("workspace:submit", args=args))
    client = inspector if step == "submit" else lead
    before = workspace_models.Assessment.history.count()

    first = client.post(reverse(f"workspace:{step}", args=args))
    second = client.post(reverse(f"workspace:{step}", args=args), follow=True)

    assert first.status_code == 302
    assert second.status_code == 200
    assert "already" in second.content.decode()
    assert workspace_models.Assessment.history.count() == before + 1


def test_a_double_clicked_correction_publishes_one_revision(case):
    agree_all(case)
    publisher_user = staff.publisher()
    publisher = signed_in(publisher_user)
    publish_now(publisher, case.round.year)
    args = [case.round.year, case.council.slug]
    publisher.post(reverse("workspace:reopen", args=args), {"inspector": case.inspector.pk})
    assessment = workspace_models.Assessment.objects.get(council=case.council)
    work.save_assessment(
        assessment,
        judgements=dict(
            zip(work.JUDGEMENT_FIELDS, ("some", "uncertain", "some", "uncertain"), strict=True)
        ),
        evidence={},
        expected_version=assessment.version,
        user=case.inspector,
    )
    work.submit(workspace_models.Assessment.objects.get(pk=assessment.pk), case.inspector)
    work.agree(workspace_models.Assessment.objects.get(pk=assessment.pk), staff.lead())
    on_screen = workspace_models.Assessment.objects.get(pk=assessment.pk)

    # The same request twice, as a double click sends it: both requests hold the page's
    # (now stale) assessment.
    first = work.publish_correction(on_screen, publisher_user, note="Revised: adults.")
    second = work.publish_correction(on_screen, publisher_user, note="Revised: adults.")

    assert first.pk == second.pk
    revisions = models.Rating.objects.filter(round=case.round, council=case.council)
    assert sorted(r.revision for r in revisions) == [1, 2]
    again = publisher.post(
        reverse("workspace:publish-correction", args=args), {"note": "Revised: adults."}
    )
    assert again.status_code == 302
    assert sorted(r.revision for r in revisions.all()) == [1, 2]


# --- 1. a scheduled correction is rescheduled or cancelled on purpose, and audited -------


@pytest.fixture
def pending_correction(case):
    """The round published, and a correction to the first council scheduled for 2031 (as
    ``import_ratings --publish-at`` schedules one)."""
    agree_all(case)
    publisher = signed_in(staff.publisher())
    publish_now(publisher, case.round.year)
    first = models.Rating.objects.get(round=case.round, council=case.council)
    rating = models.Rating.objects.create(
        round=case.round,
        council=case.council,
        revision=2,
        status=first.status,
        stars=first.stars,
        reasons=first.reasons,
        published_at=dt.datetime(2031, 1, 1, 9, tzinfo=dt.UTC),
        note="Revised 1 January 2031: scheduled correction.",
    )
    return publisher, rating


def test_a_scheduled_correction_is_listed_and_rescheduled_with_its_author_recorded(
    case, pending_correction
):
    publisher, rating = pending_correction
    url = reverse("workspace:publication", args=[case.round.year])
    page = publisher.get(url).content.decode()
    assert "Revisions waiting for their publication time" in page
    assert "publication at 09:00 on 1 January 2031" in page

    refused = publisher.post(
        url,
        {
            "action": "reschedule-revision",
            "rating": rating.pk,
            f"r{rating.pk}-date": "2020-01-01",
            f"r{rating.pk}-time": "09:00",
        },
        follow=True,
    )
    assert "must be in the future" in refused.content.decode()
    rating.refresh_from_db()
    assert rating.published_at == dt.datetime(2031, 1, 1, 9, tzinfo=dt.UTC)

    moved = publisher.post(
        url,
        {
            "action": "reschedule-revision",
            "rating": rating.pk,
            f"r{rating.pk}-date": "2031-02-03",
            f"r{rating.pk}-time": "10:30",
        },
    )
    assert moved.status_code == 302
    rating.refresh_from_db()
    assert timezone.localtime(rating.published_at).strftime("%Y-%m-%d %H:%M") == "2031-02-03 10:30"
    assert rating.history.first().history_user.username == "publisher"


def test_a_scheduled_correction_is_cancelled_and_the_trail_says_who(case, pending_correction):
    publisher, rating = pending_correction
    url = reverse("workspace:publication", args=[case.round.year])

    response = publisher.post(url, {"action": "cancel-revision", "rating": rating.pk})

    assert response.status_code == 302
    assert not models.Rating.objects.filter(pk=rating.pk).exists()
    deleted = models.Rating.history.filter(id=rating.pk, history_type="-").get()
    assert deleted.history_user.username == "publisher"
    assert deleted.note == "Revised 1 January 2031: scheduled correction."
    # A public revision cannot be cancelled this way.
    first = models.Rating.objects.get(round=case.round, council=case.council)
    refused = publisher.post(url, {"action": "cancel-revision", "rating": first.pk}, follow=True)
    assert "never changes" in refused.content.decode()
    assert models.Rating.objects.filter(pk=first.pk).exists()
    # Nonsense is a 404, not an error page.
    assert publisher.post(url, {"action": "cancel-revision", "rating": "x"}).status_code == 404


def test_only_publishers_reschedule_or_cancel(case, pending_correction):
    _, rating = pending_correction
    lead = signed_in(staff.lead("lead-x"))
    url = reverse("workspace:publication", args=[case.round.year])
    assert lead.post(url, {"action": "cancel-revision", "rating": rating.pk}).status_code == 403
    assert models.Rating.objects.filter(pk=rating.pk).exists()
