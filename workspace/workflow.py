"""Who may do what to an assessment or a round, and why not.

The one place that knows the workspace's rules: the roles' permissions, assignments, the
moderation states, the two-person rule and what publication locks. Views ask these
functions before showing a button and again before acting; each answers with a
:class:`Decision` whose reason is shown to the person refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from ratings.models import AssessmentRound, RoundStatus

from . import roles
from .models import Assessment, AssessmentState

State = AssessmentState

EDITABLE_STATES = (State.NOT_STARTED, State.DRAFT, State.RETURNED)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = Decision(True)


def _no(reason: str) -> Decision:
    return Decision(False, reason)


# --- who is staff ------------------------------------------------------------------------


def is_inspector(user) -> bool:
    return user.has_perm(roles.ENTER)


def is_lead(user) -> bool:
    return user.has_perm(roles.MODERATE)


def is_publisher(user) -> bool:
    return user.has_perm(roles.PUBLISH)


def can_use_workspace(user) -> Decision:
    if not user.is_authenticated:
        return _no("Sign in to use the workspace.")
    if is_inspector(user) or is_lead(user) or is_publisher(user):
        return ALLOWED
    return _no("Your account has no inspectorate role. Ask an administrator for one.")


def sees_every_council(user) -> bool:
    """Lead inspectors and publishers see the whole round; inspectors their councils."""
    return is_lead(user) or is_publisher(user)


def can_view(user, assessment: Assessment, inspector_id: int | None) -> Decision:
    if not can_use_workspace(user):
        return can_use_workspace(user)
    if sees_every_council(user) or inspector_id == user.pk:
        return ALLOWED
    return _no(f"{assessment.council.name} is not one of your councils in this round.")


# --- the round ---------------------------------------------------------------------------


def round_is_published(round: AssessmentRound, now=None) -> bool:
    return round.is_published(now or timezone.now())


def round_accepts_judgements(round: AssessmentRound) -> bool:
    return round.status == RoundStatus.OPEN


# --- the inspector -----------------------------------------------------------------------


def can_edit(user, assessment: Assessment, inspector_id: int | None, now=None) -> Decision:
    """Enter or change judgements, evidence and indicator values."""
    if not is_inspector(user):
        return _no("Only inspectors enter judgements.")
    if inspector_id != user.pk:
        return _no(f"{assessment.council.name} is not one of your councils in this round.")
    if assessment.state == State.SUBMITTED:
        return _no("It is with the lead inspector for moderation; it is locked until returned.")
    if assessment.state == State.AGREED:
        return _no("It has been agreed, so it is locked unless a lead inspector returns it.")
    if assessment.correction:
        return ALLOWED
    if round_is_published(assessment.round, now):
        return _no("The round is published; only a publisher can reopen a rating to correct it.")
    if not round_accepts_judgements(assessment.round):
        return _no(
            f"The {assessment.round.year} round is "
            f"{assessment.round.get_status_display().lower()}, not open for judgements."
        )
    return ALLOWED


def can_edit_indicator_values(user, assessment: Assessment, inspector_id, now=None) -> Decision:
    """Indicator values are public figures of the round: they change only before it is
    published (corrections change judgements and evidence, not the round's statistics)."""
    if assessment.correction and round_is_published(assessment.round, now):
        return _no("Indicator values of a published round cannot change.")
    return can_edit(user, assessment, inspector_id, now)


def can_upload_indicator_values(user, round: AssessmentRound, now=None) -> Decision:
    """A whole round's values at once: lead inspectors, before the round is scheduled."""
    if not is_lead(user):
        return _no("Only lead inspectors upload a whole round's indicator values.")
    if round.status == RoundStatus.SCHEDULED:
        return _no("The round is scheduled for publication; its indicator values are final.")
    return ALLOWED


def can_submit(user, assessment: Assessment, inspector_id, now=None) -> Decision:
    decision = can_edit(user, assessment, inspector_id, now)
    if not decision:
        return decision
    if assessment.rules_judgements() is None:
        return _no("Enter all four judgements before submitting.")
    return ALLOWED


# --- the lead inspector ------------------------------------------------------------------


def can_moderate(user, assessment: Assessment, now=None) -> Decision:
    if not is_lead(user):
        return _no("Only lead inspectors moderate.")
    if round_is_published(assessment.round, now) and not assessment.correction:
        return _no("The round is published; a publisher must reopen the rating first.")
    if assessment.round.status == RoundStatus.SCHEDULED and not assessment.correction:
        return _no("The round is scheduled for publication; its ratings are locked.")
    return ALLOWED


def can_return(user, assessment: Assessment, now=None) -> Decision:
    decision = can_moderate(user, assessment, now)
    if not decision:
        return decision
    if assessment.state not in (State.SUBMITTED, State.AGREED):
        return _no("Only a submitted or agreed assessment can be returned.")
    return ALLOWED


def can_agree(user, assessment: Assessment, entered_by_ids, now=None) -> Decision:
    decision = can_moderate(user, assessment, now)
    if not decision:
        return decision
    if assessment.state != State.SUBMITTED:
        return _no("Only a submitted assessment can be agreed.")
    if user.pk in set(entered_by_ids):
        return _no(
            "You entered judgements for this council, so another lead inspector must agree "
            "it (the two-person rule)."
        )
    return ALLOWED


# --- the publisher -----------------------------------------------------------------------


def can_manage_round(user) -> Decision:
    if not is_publisher(user):
        return _no("Only publishers open, close and schedule rounds.")
    return ALLOWED


def can_schedule(user, round: AssessmentRound, not_agreed: int, now=None) -> Decision:
    decision = can_manage_round(user)
    if not decision:
        return decision
    if round_is_published(round, now):
        return _no("The round is already published.")
    if not_agreed:
        councils = "council is" if not_agreed == 1 else "councils are"
        return _no(
            f"{not_agreed} {councils} not agreed yet; every council must be agreed before "
            "the round is scheduled."
        )
    return ALLOWED


def can_reopen(user, assessment: Assessment, now=None) -> Decision:
    if not is_publisher(user):
        return _no("Only publishers reopen a published rating.")
    if not round_is_published(assessment.round, now):
        return _no("The round is not published yet; its ratings are moderated as usual.")
    if assessment.correction:
        return _no("It is already reopened for correction.")
    return ALLOWED


def can_publish_correction(user, assessment: Assessment, now=None) -> Decision:
    if not is_publisher(user):
        return _no("Only publishers publish corrections.")
    if not assessment.correction:
        return _no("It has not been reopened for correction.")
    if assessment.state != State.AGREED:
        return _no("A lead inspector must agree the corrected judgements first.")
    return ALLOWED


# --- the council contact -----------------------------------------------------------------


def is_council_contact(user) -> bool:
    return user.is_authenticated and user.has_perm(roles.VIEW_OWN_COUNCIL)


def pre_release_opens_at(round: AssessmentRound):
    """When the council contacts' window opens: ``pre_release_days`` before a scheduled
    publication. None while the round is not scheduled."""
    if round.status != RoundStatus.SCHEDULED or round.publication_at is None:
        return None
    return round.publication_at - dt.timedelta(days=round.pre_release_days)


def in_pre_release_window(round: AssessmentRound, now=None) -> bool:
    """Inside the window: the council's contacts see an embargoed rating."""
    now = now or timezone.now()
    opens = pre_release_opens_at(round)
    return opens is not None and opens <= now and not round_is_published(round, now)


def _when(moment) -> str:
    local = timezone.localtime(moment)
    return f"{local:%A} {local.day} {local:%B %Y} at {local:%H:%M}"


def can_use_council_pages(user, council) -> Decision:
    if not is_council_contact(user) or council is None:
        return _no(
            "These pages are for council contacts. Ask the inspectorate to add you as your "
            "council's contact."
        )
    return ALLOWED


def can_see_council_round(user, council, round: AssessmentRound, now=None) -> Decision:
    """A council contact sees their own council's rating from the window's opening; the
    public sees it at publication. Never another council's (``council`` is the user's)."""
    decision = can_use_council_pages(user, council)
    if not decision:
        return decision
    now = now or timezone.now()
    if round_is_published(round, now):
        return ALLOWED
    opens = pre_release_opens_at(round)
    if opens is None:
        return _no(
            f"The {round.year} ratings are not scheduled for publication yet. You will see "
            f"{council.name}'s rating {round.pre_release_days} days before they are published."
        )
    if now < opens:
        return _no(f"You will see {council.name}'s {round.year} rating from {_when(opens)}.")
    return ALLOWED


def can_challenge(user, council, round: AssessmentRound, now=None) -> Decision:
    decision = can_see_council_round(user, council, round, now)
    if not decision:
        return decision
    if not in_pre_release_window(round, now):
        return _no(
            "Factual accuracy can be challenged only before publication. Once a rating is "
            "published, you may ask for a review (a representation)."
        )
    return ALLOWED


def can_make_representation(user, council, round: AssessmentRound, open_already: bool, now=None):
    decision = can_use_council_pages(user, council)
    if not decision:
        return decision
    if not round_is_published(round, now):
        return _no("A representation can be made once the rating is published.")
    if open_already:
        return _no(f"A representation about {council.name}'s rating is already being considered.")
    return ALLOWED


def can_respond(user, council, round: AssessmentRound, waiting: bool, now=None) -> Decision:
    decision = can_use_council_pages(user, council)
    if not decision:
        return decision
    if not round_is_published(round, now):
        return _no("A response can be published once the rating is published.")
    if waiting:
        return _no("Your last response is waiting for moderation.")
    return ALLOWED


def can_answer_challenge(user, challenge) -> Decision:
    if not is_lead(user):
        return _no("Only lead inspectors answer challenges.")
    if not challenge.is_open:
        return _no("This challenge has been answered.")
    return ALLOWED


def can_decide_representation(user, representation) -> Decision:
    if not is_publisher(user):
        return _no("Only publishers decide representations.")
    if representation.state != representation.State.OPEN:
        return _no("This representation has been decided.")
    return ALLOWED


def can_moderate_response(user, response) -> Decision:
    if not is_publisher(user):
        return _no("Only publishers moderate councils' responses.")
    if response.state != response.State.SUBMITTED:
        return _no("This response has been moderated.")
    return ALLOWED


def can_see_councils_challenges(user) -> Decision:
    if not sees_every_council(user):
        return _no(
            "Only lead inspectors and publishers see councils' challenges and representations."
        )
    return ALLOWED


def can_see_responses(user) -> Decision:
    if not is_publisher(user):
        return _no("Only publishers moderate councils' responses.")
    return ALLOWED
