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


@staff_view
@require_POST
def submit(request, year: int, slug: str):
    case = Case(request, year, slug)
    require(workflow.can_submit(request.user, case.assessment, case.inspector_id))
    work.submit(case.assessment, request.user)
    messages.success(request, f"{case.council.name} is submitted for moderation.")
    return redirect(case.url)


@staff_view
@require_POST
def return_assessment(request, year: int, slug: str):
    case = Case(request, year, slug)
    require(workflow.can_return(request.user, case.assessment))
    form = forms.ReturnForm(request.POST)
    if not form.is_valid():
        domains = list(Domain.objects.all())
        evidence = work.evidence_for(case.round, case.council)
        page_form = forms.AssessmentForm(
            initial=forms.AssessmentForm.initial_for(case.assessment, evidence), domains=domains
        )
        return assessment_page(request, case, page_form, status=400, extra={"return_form": form})
    work.return_to_inspector(case.assessment, request.user, form.cleaned_data["comments"])
    messages.success(request, f"{case.council.name} is returned to the inspector.")
    return redirect(case.url)


@staff_view
@require_POST
def agree(request, year: int, slug: str):
    case = Case(request, year, slug)
    require(workflow.can_agree(request.user, case.assessment, work.entered_by_ids(case.assessment)))
    work.agree(case.assessment, request.user)
    messages.success(request, f"{case.council.name} is agreed.")
    return redirect(case.url)


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
