"""Indicator values in the workspace: one council's values and exemptions entered by
hand, and a round's values uploaded as CSV (checked and previewed, then loaded on
confirmation through ``ratings.imports``)."""

from __future__ import annotations

import io

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from ratings import imports
from ratings.models import AssessmentRound

from .. import forms, workflow
from .. import services as work
from .access import Case, form_data, require, staff_view


@staff_view
@require_http_methods(["GET", "POST"])
def indicators(request, year: int, slug: str):
    case = Case(request, year, slug)
    decision = workflow.can_edit_indicator_values(request.user, case.assessment, case.inspector_id)
    rows = forms.indicator_rows(case.round, case.council)
    form = forms.IndicatorValuesForm(form_data(request)[0], rows=rows)
    if request.method == "POST":
        require(decision)
        if form.is_valid():
            changed = work.save_indicator_values(
                case.round, case.council, form.values(), request.user
            )
            messages.success(
                request, f"Saved {changed} indicator value{'s' if changed != 1 else ''}."
            )
            return redirect(reverse("workspace:indicators", args=[year, slug]))
    return render(
        request,
        "workspace/indicators.html",
        {
            "case": case,
            "round": case.round,
            "council": case.council,
            "form": form,
            "can_edit": decision,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@staff_view
@require_http_methods(["GET", "POST"])
def indicator_upload(request, year: int):
    """CSV upload of a round's indicator values: check and preview, then confirm."""
    round = get_object_or_404(AssessmentRound, year=year)
    require(workflow.can_upload_indicator_values(request.user, round))
    form = forms.IndicatorUploadForm(*form_data(request))
    context = {"round": round, "form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        confirm = request.POST.get("action") == "confirm"
        try:
            result = imports.import_indicator_values(
                io.StringIO(form.cleaned_data["content"]),
                year=round.year,
                dry_run=not confirm,
                user=request.user,
                max_rows=forms.IndicatorUploadForm.MAX_ROWS,
            )
        except imports.ImportFailed as failed:
            context["import_failed"] = failed
            status = 400
        except imports.UsageError as error:
            form.add_error(None, str(error))
            status = 400
        else:
            if confirm:
                messages.success(request, f"Indicator values loaded: {result.summary()}.")
                return redirect(reverse("workspace:round", args=[year]))
            context["result"] = result
            context["content"] = form.cleaned_data["content"]
    elif form.is_bound:
        status = 400
    return render(request, "workspace/indicator_upload.html", context, status=status)
