"""The inspectorate's side of councils' part: the lead inspectors' queue of factual
accuracy challenges in a round (and the representations made about it), answering a
challenge, the publishers' decision on a representation and their moderation of
councils' responses."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from ratings.models import AssessmentRound, CouncilResponse, Representation

from .. import council_forms, workflow
from ..models import Challenge
from ..services import council_voice as voice
from .access import form_data, form_page, require, staff_view


@staff_view
@require_safe
def challenges(request, year: int):
    round = get_object_or_404(AssessmentRound, year=year)
    require(workflow.can_see_councils_challenges(request.user))
    return render(
        request,
        "workspace/challenges.html",
        {
            "round": round,
            "challenges": voice.open_first(voice.challenges(round), "outcome", "raised_at"),
            "representations": voice.open_first(
                voice.representations(round), "state", "submitted_at"
            ),
        },
    )


def _challenge(year: int, pk: int) -> Challenge:
    return get_object_or_404(
        Challenge.objects.select_related("round", "council", "raised_by"), pk=pk, round__year=year
    )


@staff_view
@require_http_methods(["GET", "POST"])
def challenge(request, year: int, pk: int):
    found = _challenge(year, pk)
    require(workflow.can_see_councils_challenges(request.user))
    may_answer = workflow.can_answer_challenge(request.user, found)
    if request.method == "POST":
        require(may_answer)
    return form_page(
        request,
        council_forms.ChallengeAnswerForm(form_data(request)[0]),
        "workspace/challenge.html",
        {"round": found.round, "challenge": found, "may_answer": may_answer},
        act=lambda data: voice.answer_challenge(found, request.user, **data),
        done=f"The challenge by {found.council.name} is answered.",
        then=reverse("workspace:challenges", args=[year]),
    )


@staff_view
@require_safe
def challenge_evidence(request, year: int, pk: int):
    """The file a council sent with its challenge: to lead inspectors and publishers only
    (no uploaded file is ever reachable at a public address)."""
    found = _challenge(year, pk)
    require(workflow.can_see_councils_challenges(request.user))
    if not found.evidence_file:
        raise Http404("No file was sent with this challenge.")
    response = FileResponse(
        found.evidence_file.open("rb"),
        as_attachment=True,
        filename=found.evidence_file.name.rsplit("/", 1)[-1],
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@staff_view
@require_http_methods(["GET", "POST"])
def representation(request, year: int, pk: int):
    found = get_object_or_404(
        Representation.objects.select_related("round", "council", "submitted_by"),
        pk=pk,
        round__year=year,
    )
    require(workflow.can_see_councils_challenges(request.user))
    may_decide = workflow.can_decide_representation(request.user, found)
    if request.method == "POST":
        require(may_decide)
    return form_page(
        request,
        council_forms.RepresentationDecisionForm(form_data(request)[0]),
        "workspace/representation.html",
        {"round": found.round, "representation": found, "may_decide": may_decide},
        act=lambda data: voice.decide_representation(found, request.user, **data),
        # An upheld representation is corrected as any published rating is: reopened.
        done=lambda data: (
            f"The representation is upheld. Reopen {found.council.name}'s rating to correct "
            "it; the correction is published with its public note."
            if data["upheld"]
            else "The representation is not upheld."
        ),
        then=lambda data: (
            reverse("workspace:reopen", args=[year, found.council.slug])
            if data["upheld"]
            else reverse("workspace:challenges", args=[year])
        ),
    )


@staff_view
@require_safe
def responses(request):
    require(workflow.can_see_responses(request.user))
    return render(
        request,
        "workspace/responses.html",
        {"responses": voice.waiting_first(voice.responses())[:200]},
    )


@staff_view
@require_http_methods(["GET", "POST"])
def response(request, pk: int):
    found = get_object_or_404(
        CouncilResponse.objects.select_related("round", "council", "submitted_by"), pk=pk
    )
    require(workflow.can_see_responses(request.user))
    may_moderate = workflow.can_moderate_response(request.user, found)
    if request.method == "POST":
        require(may_moderate)
    return form_page(
        request,
        council_forms.ResponseModerationForm(form_data(request)[0]),
        "workspace/response.html",
        {"response": found, "may_moderate": may_moderate},
        act=lambda data: voice.moderate_response(found, request.user, **data),
        done=lambda data: (
            f"{found.council.name}'s response is "
            f"{'published' if data['publish'] else 'not published'}."
        ),
        then=reverse("workspace:responses"),
    )
