"""One council's assessment: the judgement form with its evidence (saved with the
version it was built from, 409 with both versions when someone else saved first), the
what-if panel that htmx swaps in as judgements change, and the assessment's history.
``assessment_page`` and ``what_if_panel`` serve the other per-council pages too."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ratings import services
from ratings.models import Domain

from .. import audit, forms
from .. import services as work
from .access import Case, require, staff_view


def what_if_panel(case: Case, judgements: dict):
    return {
        "rating": work.what_if(case.round, case.council, judgements),
        "cap_messages": work.cap_messages(case.round, case.council, judgements),
        "caps": services.caps_for(case.round, case.council),
    }


def assessment_page(request, case: Case, form, *, status=200, extra=None):
    judgements = (
        form.judgements()
        if form.is_bound and form.is_valid()
        else {name: getattr(case.assessment, name) for name in work.JUDGEMENT_FIELDS}
    )
    context = {
        "case": case,
        "round": case.round,
        "council": case.council,
        "assessment": case.assessment,
        "form": form,
        "decisions": case.decisions(),
        "return_form": forms.ReturnForm(),
        "preview": what_if_panel(case, judgements),
        "published_rating": services.latest_ratings(case.round, [case.council]).get(
            case.council.pk
        ),
        **(extra or {}),
    }
    return render(request, "workspace/assessment.html", context, status=status)


@staff_view
@require_http_methods(["GET", "POST"])
def assessment(request, year: int, slug: str):
    case = Case(request, year, slug)
    domains = list(Domain.objects.all())
    evidence = work.evidence_for(case.round, case.council)
    if request.method == "GET":
        form = forms.AssessmentForm(
            initial=forms.AssessmentForm.initial_for(case.assessment, evidence), domains=domains
        )
        return assessment_page(request, case, form)

    require(case.can_edit())
    form = forms.AssessmentForm(request.POST, domains=domains)
    if not form.is_valid():
        return assessment_page(request, case, form, status=400)
    if request.POST.get("action") == "preview":
        # "Check the rating" without JavaScript: the page again with the what-if, unsaved.
        return assessment_page(request, case, form)
    try:
        work.save_assessment(
            case.assessment,
            judgements=form.judgements(),
            evidence=form.evidence(),
            expected_version=form.cleaned_data["version"],
            user=request.user,
        )
    except work.StaleAssessment as stale:
        theirs = stale.current
        # The form keeps your changes but now carries the saved version, so saving again
        # (after checking theirs) goes through.
        data = request.POST.copy()
        data["version"] = theirs.version
        form = forms.AssessmentForm(data, domains=domains)
        form.is_valid()
        return assessment_page(
            request,
            case,
            form,
            status=409,
            extra={
                "conflict": theirs,
                "conflict_evidence": work.evidence_for(case.round, case.council),
                "conflict_by": audit.last_editor(theirs),
            },
        )
    except work.WorkflowError as error:
        form.add_error(None, str(error))
        return assessment_page(request, case, form, status=400)
    messages.success(request, f"Saved {case.council.name}.")
    return redirect(case.url)


@staff_view
@require_POST
def preview(request, year: int, slug: str):
    """The what-if panel for judgements as chosen (htmx swaps it in as they change)."""
    case = Case(request, year, slug)
    form = forms.WhatIfForm(request.POST)
    judgements = form.judgements() if form.is_valid() else {}
    return render(request, "workspace/_what_if.html", {"preview": what_if_panel(case, judgements)})


@staff_view
@require_safe
def history(request, year: int, slug: str):
    case = Case(request, year, slug)
    return render(
        request,
        "workspace/history.html",
        {
            "case": case,
            "round": case.round,
            "council": case.council,
            "events": audit.timeline(case.round, case.council),
        },
    )
