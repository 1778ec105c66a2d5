"""The council contact's pages under /workspace/council/: their own council only.

From ``pre_release_days`` before a scheduled publication, a contact sees the council's
rating, judgements, reasons, indicators and report as the public will see them at the
moment of publication (drawn through the embargo gate with its clock set to that moment,
as the pages rendered ahead of publication are), every page marked "Embargoed until …",
every look logged. In the window they may challenge a fact; after publication they may
make a representation or publish a response. Another council's rating is never shown:
the council comes from the contact's own record, never from the address.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from ratings import embargo
from ratings.models import AssessmentRound, RoundStatus
from reports import assembly

from .. import council_forms, workflow
from .. import services as work
from ..services import council_voice as voice
from .access import form_data, form_page, require


def contact_view(view):
    """Sign-in and the council contact role required; the council is the contact's own."""

    @wraps(view)
    @never_cache
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        council = voice.council_of(request.user)
        decision = workflow.can_use_council_pages(request.user, council)
        if not decision:
            raise PermissionDenied(decision.reason)
        return view(request, council, *args, **kwargs)

    return wrapper


class CouncilRound:
    """The contact's council in a round, as this request may see it (403 with the reason
    before the window; 404 for a round the council is not rated in)."""

    def __init__(self, request, council, year: int):
        round = AssessmentRound.objects.filter(year=year).first()
        if round is None or round.status != RoundStatus.SCHEDULED:
            raise Http404("No such round.")
        if not work.is_rated_in(round, council):
            raise Http404("Your council is not rated in this round.")
        self.round, self.council, self.user = round, council, request.user
        require(workflow.can_see_council_round(request.user, council, round))
        self.embargoed = workflow.in_pre_release_window(round)
        self.published = workflow.round_is_published(round)

    def report(self):
        """The council's report as it will be (or is) public; None if not rated."""
        moment = self.round.publication_at
        if self.embargoed:
            with embargo.rendering_for(moment):
                return assembly.council_report(self.council, self.round, moment)
        return assembly.council_report(self.council, self.round)

    def log(self, request):
        if self.embargoed:
            voice.log_pre_release_view(request.user, self.council, self.round, request.path)

    def context(self, **extra):
        return {
            "council": self.council,
            "round": self.round,
            "embargoed": self.embargoed,
            "published": self.published,
            "embargoed_until": self.round.publication_at,
            **extra,
        }


@contact_view
@require_safe
def council_home(request, council):
    rounds = [
        {"round": round, "opens": opens, "published": workflow.round_is_published(round)}
        for round, opens in voice.contact_rounds(council)
    ]
    return render(request, "workspace/council/home.html", {"council": council, "rounds": rounds})


@contact_view
@require_safe
def council_round(request, council, year: int):
    case = CouncilRound(request, council, year)
    report = case.report()
    if report is None:
        raise Http404("Your council is not rated in this round.")
    case.log(request)
    return render(
        request,
        "workspace/council/round.html",
        case.context(
            report=report,
            for_pdf=False,
            site_url="",
            challenges=voice.challenges(case.round, council),
            representations=voice.representations(case.round, council),
            responses=voice.responses(case.round, council),
            may_challenge=workflow.can_challenge(request.user, council, case.round),
            may_represent=workflow.can_make_representation(
                request.user,
                council,
                case.round,
                voice.has_open_representation(case.round, council),
            ),
            may_respond=workflow.can_respond(
                request.user, council, case.round, voice.response_waiting(case.round, council)
            ),
        ),
    )


def _round_url(year: int) -> str:
    return reverse("workspace:council-round", args=[year])


@contact_view
@require_http_methods(["GET", "POST"])
def council_challenge(request, council, year: int):
    case = CouncilRound(request, council, year)
    require(workflow.can_challenge(request.user, council, case.round))
    case.log(request)
    return form_page(
        request,
        council_forms.ChallengeForm(*form_data(request)),
        "workspace/council/challenge.html",
        case.context(),
        act=lambda data: voice.raise_challenge(case.round, council, request.user, **data),
        done="Your challenge is with the lead inspector. You will see the answer here.",
        then=_round_url(year),
    )


@contact_view
@require_http_methods(["GET", "POST"])
def council_representation(request, council, year: int):
    case = CouncilRound(request, council, year)
    open_already = voice.has_open_representation(case.round, council)
    require(workflow.can_make_representation(request.user, council, case.round, open_already))
    return form_page(
        request,
        council_forms.RepresentationForm(form_data(request)[0]),
        "workspace/council/representation.html",
        case.context(),
        act=lambda data: voice.make_representation(case.round, council, request.user, **data),
        done=(
            "Your representation is made. The council's public page now says that a "
            "representation about this rating is being considered."
        ),
        then=_round_url(year),
    )


@contact_view
@require_http_methods(["GET", "POST"])
def council_response(request, council, year: int):
    case = CouncilRound(request, council, year)
    waiting = voice.response_waiting(case.round, council)
    require(workflow.can_respond(request.user, council, case.round, waiting))
    return form_page(
        request,
        council_forms.ResponseForm(form_data(request)[0]),
        "workspace/council/response.html",
        case.context(),
        act=lambda data: voice.submit_response(case.round, council, request.user, **data),
        done="Your response is with a publisher, who checks it before it is shown.",
        then=_round_url(year),
    )
