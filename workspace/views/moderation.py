"""Moderation's pages: an inspector submits an assessment, a lead inspector returns it
with comments or agrees it, and the lead inspectors' queue of submitted assessments in a
round, oldest first."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from ratings.models import AssessmentRound, Domain

from .. import forms, workflow
from .. import services as work
from .access import Case, require, staff_view
from .assessments import assessment_page


def _step(request, case: Case, step, *args, done: str):
    """Take a moderation step. The service asks the rules again under a lock: if the
    assessment moved on since this page was drawn (another lead inspector returned it, say),
    the step is refused with the reason, and nothing changes."""
    try:
        step(case.assessment, request.user, *args)
    except work.WorkflowError as error:
        messages.error(request, f"{case.council.name}: {error}")
    else:
        messages.success(request, f"{case.council.name} {done}.")
    return redirect(case.url)


def _already(request, case: Case, done: str):
    """A step this person has just taken, asked for again (a double click, a resubmitted
    form): nothing to do, and no error."""
    messages.info(request, f"{case.council.name} {done} already.")
    return redirect(case.url)


@staff_view
@require_POST
def submit(request, year: int, slug: str):
    case = Case(request, year, slug)
    if work.submitted_by(case.assessment, request.user):
        return _already(request, case, "is submitted for moderation")
    require(workflow.can_submit(request.user, case.assessment, case.inspector_id))
    return _step(request, case, work.submit, done="is submitted for moderation")


@staff_view
@require_POST
def return_assessment(request, year: int, slug: str):
    case = Case(request, year, slug)
    if work.returned_by(case.assessment, request.user):
        return _already(request, case, "is returned to the inspector")
    require(workflow.can_return(request.user, case.assessment))
    form = forms.ReturnForm(request.POST)
    if not form.is_valid():
        domains = list(Domain.objects.all())
        evidence = work.evidence_for(case.round, case.council)
        page_form = forms.AssessmentForm(
            initial=forms.AssessmentForm.initial_for(case.assessment, evidence), domains=domains
        )
        return assessment_page(request, case, page_form, status=400, extra={"return_form": form})
    return _step(
        request,
        case,
        work.return_to_inspector,
        form.cleaned_data["comments"],
        done="is returned to the inspector",
    )


@staff_view
@require_POST
def agree(request, year: int, slug: str):
    case = Case(request, year, slug)
    if work.agreed_by(case.assessment, request.user):
        return _already(request, case, "is agreed")
    require(workflow.can_agree(request.user, case.assessment, work.entered_by_ids(case.assessment)))
    return _step(request, case, work.agree, done="is agreed")


@staff_view
@require_safe
def moderation(request, year: int):
    round = get_object_or_404(AssessmentRound, year=year)
    require(workflow.Decision(workflow.is_lead(request.user), "Only lead inspectors moderate."))
    progress = work.round_progress(round)
    queue = sorted(
        (row for row in progress.rows if row.state == work.State.SUBMITTED),
        key=lambda row: row.assessment.submitted_at or timezone.now(),
    )
    return render(request, "workspace/moderation.html", {"round": round, "queue": queue})
