"""The workspace's pages. Thin: ``workspace.workflow`` says who may, the services do.

Every view is staff-only: anonymous requests are sent to sign in, signed-in people
without the role get 403 with the reason. Nothing here is cached (``never_cache``).
"""

from __future__ import annotations

import io
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ratings import imports, services
from ratings.models import AssessmentRound, Council, Domain

from . import audit, forms, workflow
from . import services as work

State = work.State


def staff_view(view):
    """Sign-in and a workspace role required; no caching of anything staff see."""

    @wraps(view)
    @never_cache
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        decision = workflow.can_use_workspace(request.user)
        if not decision:
            raise PermissionDenied(decision.reason)
        return view(request, *args, **kwargs)

    return wrapper


def _bound(request):
    """(data, files) for a form: bound on POST even when the POST is empty."""
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None


def _require(decision: workflow.Decision):
    if not decision:
        raise PermissionDenied(decision.reason)


class _Case:
    """A council's assessment in a round, as one request sees it."""

    def __init__(self, request, year: int, slug: str):
        self.round = get_object_or_404(AssessmentRound, year=year)
        self.council = get_object_or_404(Council.objects.select_related("region"), slug=slug)
        self.assessment = work.assessment_for(self.round, self.council)
        self.inspector_id = work.inspector_id(self.round, self.council)
        self.user = request.user
        _require(workflow.can_view(self.user, self.assessment, self.inspector_id))

    @property
    def url(self) -> str:
        return reverse("workspace:assessment", args=[self.round.year, self.council.slug])

    def can_edit(self):
        return workflow.can_edit(self.user, self.assessment, self.inspector_id)

    def decisions(self) -> dict[str, workflow.Decision]:
        entered = work.entered_by_ids(self.assessment)
        return {
            "edit": self.can_edit(),
            "indicators": workflow.can_edit_indicator_values(
                self.user, self.assessment, self.inspector_id
            ),
            "submit": workflow.can_submit(self.user, self.assessment, self.inspector_id),
            "return": workflow.can_return(self.user, self.assessment),
            "agree": workflow.can_agree(self.user, self.assessment, entered),
            "reopen": workflow.can_reopen(self.user, self.assessment),
            "publish": workflow.can_publish_correction(self.user, self.assessment),
        }


# --- dashboard ---------------------------------------------------------------------------------


@staff_view
@require_safe
def dashboard(request):
    round = work.working_round()
    if round is None:
        return render(request, "workspace/no_rounds.html")
    return round_dashboard(request, round.year)


@staff_view
@require_safe
def round_dashboard(request, year: int):
    round = get_object_or_404(AssessmentRound, year=year)
    user = request.user
    everyone = workflow.sees_every_council(user)
    progress = work.round_progress(round, inspector=None if everyone else user)
    rows = progress.rows
    filters = {
        "region": request.GET.get("region", ""),
        "inspector": request.GET.get("inspector", ""),
        "state": request.GET.get("state", ""),
    }
    if everyone:
        if filters["region"]:
            rows = [r for r in rows if r.council.region.slug == filters["region"]]
        if filters["inspector"]:
            rows = [r for r in rows if r.inspector and r.inspector.username == filters["inspector"]]
        if filters["state"]:
            rows = [r for r in rows if r.state == filters["state"]]
    context = {
        "round": round,
        "progress": progress,
        "rows": rows,
        "everyone": everyone,
        "filters": filters,
        "regions": sorted(
            {(r.council.region.slug, r.council.region.name) for r in progress.rows},
            key=lambda x: x[1],
        ),
        "inspectors": sorted({r.inspector.username for r in progress.rows if r.inspector}),
        "states": list(State),
        "rounds": AssessmentRound.objects.order_by("-year"),
        "is_publisher": workflow.is_publisher(user),
        "is_lead": workflow.is_lead(user),
        "published": round.is_published(),
    }
    return render(request, "workspace/dashboard.html", context)


# --- one council -------------------------------------------------------------------------------


def _what_if(case: _Case, judgements: dict):
    return {
        "rating": work.what_if(case.round, case.council, judgements),
        "cap_messages": work.cap_messages(case.round, case.council, judgements),
        "caps": services.caps_for(case.round, case.council),
    }


def _assessment_page(request, case: _Case, form, *, status=200, extra=None):
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
        "preview": _what_if(case, judgements),
        "published_rating": services.latest_ratings(case.round, [case.council]).get(
            case.council.pk
        ),
        **(extra or {}),
    }
    return render(request, "workspace/assessment.html", context, status=status)


@staff_view
@require_http_methods(["GET", "POST"])
def assessment(request, year: int, slug: str):
    case = _Case(request, year, slug)
    domains = list(Domain.objects.all())
    evidence = work.evidence_for(case.round, case.council)
    if request.method == "GET":
        form = forms.AssessmentForm(
            initial=forms.AssessmentForm.initial_for(case.assessment, evidence), domains=domains
        )
        return _assessment_page(request, case, form)

    _require(case.can_edit())
    form = forms.AssessmentForm(request.POST, domains=domains)
    if not form.is_valid():
        return _assessment_page(request, case, form, status=400)
    if request.POST.get("action") == "preview":
        # "Check the rating" without JavaScript: the page again with the what-if, unsaved.
        return _assessment_page(request, case, form)
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
        return _assessment_page(
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
        return _assessment_page(request, case, form, status=400)
    messages.success(request, f"Saved {case.council.name}.")
    return redirect(case.url)


@staff_view
@require_POST
def preview(request, year: int, slug: str):
    """The what-if panel for judgements as chosen (htmx swaps it in as they change)."""
    case = _Case(request, year, slug)
    form = forms.WhatIfForm(request.POST)
    judgements = form.judgements() if form.is_valid() else {}
    return render(request, "workspace/_what_if.html", {"preview": _what_if(case, judgements)})


@staff_view
@require_POST
def submit(request, year: int, slug: str):
    case = _Case(request, year, slug)
    _require(workflow.can_submit(request.user, case.assessment, case.inspector_id))
    work.submit(case.assessment, request.user)
    messages.success(request, f"{case.council.name} is submitted for moderation.")
    return redirect(case.url)


@staff_view
@require_POST
def return_assessment(request, year: int, slug: str):
    case = _Case(request, year, slug)
    _require(workflow.can_return(request.user, case.assessment))
    form = forms.ReturnForm(request.POST)
    if not form.is_valid():
        domains = list(Domain.objects.all())
        evidence = work.evidence_for(case.round, case.council)
        page_form = forms.AssessmentForm(
            initial=forms.AssessmentForm.initial_for(case.assessment, evidence), domains=domains
        )
        return _assessment_page(request, case, page_form, status=400, extra={"return_form": form})
    work.return_to_inspector(case.assessment, request.user, form.cleaned_data["comments"])
    messages.success(request, f"{case.council.name} is returned to the inspector.")
    return redirect(case.url)


@staff_view
@require_POST
def agree(request, year: int, slug: str):
    case = _Case(request, year, slug)
    _require(
        workflow.can_agree(request.user, case.assessment, work.entered_by_ids(case.assessment))
    )
    work.agree(case.assessment, request.user)
    messages.success(request, f"{case.council.name} is agreed.")
    return redirect(case.url)


@staff_view
@require_http_methods(["GET", "POST"])
def indicators(request, year: int, slug: str):
    case = _Case(request, year, slug)
    decision = workflow.can_edit_indicator_values(request.user, case.assessment, case.inspector_id)
    rows = forms.indicator_rows(case.round, case.council)
    form = forms.IndicatorValuesForm(_bound(request)[0], rows=rows)
    if request.method == "POST":
        _require(decision)
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
@require_safe
def history(request, year: int, slug: str):
    case = _Case(request, year, slug)
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


@staff_view
@require_http_methods(["GET", "POST"])
def reopen(request, year: int, slug: str):
    case = _Case(request, year, slug)
    _require(workflow.can_reopen(request.user, case.assessment))
    form = forms.ReopenForm(_bound(request)[0], initial={"inspector": case.inspector_id})
    if request.method == "POST" and form.is_valid():
        work.reopen(case.assessment, request.user, inspector=form.cleaned_data["inspector"])
        messages.success(
            request, f"{case.council.name}'s {year} rating is reopened for correction."
        )
        return redirect(case.url)
    return render(
        request,
        "workspace/reopen.html",
        {"case": case, "round": case.round, "council": case.council, "form": form},
        status=400 if form.is_bound else 200,
    )


@staff_view
@require_http_methods(["GET", "POST"])
def publish_correction(request, year: int, slug: str):
    case = _Case(request, year, slug)
    _require(workflow.can_publish_correction(request.user, case.assessment))
    form = forms.CorrectionForm(_bound(request)[0])
    if request.method == "POST" and form.is_valid():
        try:
            rating = work.publish_correction(
                case.assessment, request.user, note=form.cleaned_data["note"]
            )
        except (work.WorkflowError, services.CapExceeded) as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Revision {rating.revision} of {case.council.name}'s {year} rating is published.",
            )
            return redirect(case.url)
    return render(
        request,
        "workspace/publish_correction.html",
        {
            "case": case,
            "round": case.round,
            "council": case.council,
            "form": form,
            "preview": _what_if(
                case, {n: getattr(case.assessment, n) for n in work.JUDGEMENT_FIELDS}
            ),
        },
        status=400 if form.is_bound else 200,
    )


# --- the round ---------------------------------------------------------------------------------


@staff_view
@require_safe
def moderation(request, year: int):
    round = get_object_or_404(AssessmentRound, year=year)
    _require(workflow.Decision(workflow.is_lead(request.user), "Only lead inspectors moderate."))
    progress = work.round_progress(round)
    queue = sorted(
        (row for row in progress.rows if row.state == State.SUBMITTED),
        key=lambda row: row.assessment.submitted_at or timezone.now(),
    )
    return render(request, "workspace/moderation.html", {"round": round, "queue": queue})


@staff_view
@require_http_methods(["GET", "POST"])
def indicator_upload(request, year: int):
    """CSV upload of a round's indicator values: check and preview, then confirm."""
    round = get_object_or_404(AssessmentRound, year=year)
    _require(workflow.can_upload_indicator_values(request.user, round))
    form = forms.IndicatorUploadForm(*_bound(request))
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
            )
        except imports.ImportFailed as failed:
            context["import_errors"] = failed.errors
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


@staff_view
@require_http_methods(["GET", "POST"])
def publication(request, year: int):
    """The publisher's page: the round's status, and scheduling its publication."""
    round = get_object_or_404(AssessmentRound, year=year)
    _require(workflow.can_manage_round(request.user))
    not_agreed = work.not_agreed_count(round)
    status_form = forms.RoundStatusForm(initial={"status": round.status})
    schedule_form = forms.PublicationTimeForm(initial=_initial_time(round))
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if round.is_published():
            raise PermissionDenied("The round is published; its status and time cannot change.")
        if action == "status":
            status_form = forms.RoundStatusForm(request.POST)
            if status_form.is_valid():
                work.set_round_status(round, status_form.cleaned_data["status"], request.user)
                messages.success(
                    request, f"The {year} round is now {round.get_status_display().lower()}."
                )
                return redirect(reverse("workspace:publication", args=[year]))
            status = 400
        elif action == "schedule":
            _require(workflow.can_schedule(request.user, round, not_agreed))
            schedule_form = forms.PublicationTimeForm(request.POST)
            if schedule_form.is_valid():
                when = schedule_form.cleaned_data["publication_at"]
                try:
                    work.schedule_round(round, when, request.user)
                except (work.WorkflowError, services.CapExceeded) as error:
                    schedule_form.add_error(None, str(error))
                else:
                    messages.success(
                        request,
                        f"The {year} round will be published at "
                        f"{timezone.localtime(when):%H:%M on %-d %B %Y}.",
                    )
                    return redirect(reverse("workspace:publication", args=[year]))
            status = 400
        else:
            raise Http404("Unknown action.")
    return render(
        request,
        "workspace/publication.html",
        {
            "round": round,
            "not_agreed": not_agreed,
            "status_form": status_form,
            "schedule_form": schedule_form,
            "can_schedule": workflow.can_schedule(request.user, round, not_agreed),
            "published": round.is_published(),
        },
        status=status,
    )


def _initial_time(round: AssessmentRound) -> dict:
    if round.publication_at is None:
        return {}
    local = timezone.localtime(round.publication_at)
    return {"date": local.date(), "time": local.time().replace(second=0, microsecond=0)}
