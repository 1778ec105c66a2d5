"""The publisher's pages: a round's status and the scheduling of its publication, and,
after publication, reopening a council's rating for correction and publishing the agreed
correction as a new revision."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from ratings import services
from ratings.models import AssessmentRound, Rating
from reports import builds

from .. import audit, forms, workflow
from .. import services as work
from ..services import council_voice as voice
from .access import Case, form_data, require, staff_view
from .assessments import what_if_panel


@staff_view
@require_http_methods(["GET", "POST"])
def reopen(request, year: int, slug: str):
    case = Case(request, year, slug)
    require(workflow.can_reopen(request.user, case.assessment))
    form = forms.ReopenForm(form_data(request)[0], initial={"inspector": case.inspector_id})
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
    case = Case(request, year, slug)
    if request.method == "POST":
        published = work.correction_published_by(case.assessment, request.user)
        if published is not None:  # a repeat of the publication just made
            messages.info(
                request,
                f"Revision {published.revision} of {case.council.name}'s {year} rating is "
                "published already.",
            )
            return redirect(case.url)
    require(workflow.can_publish_correction(request.user, case.assessment))
    form = forms.CorrectionForm(form_data(request)[0])
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
            "preview": what_if_panel(
                case, {n: getattr(case.assessment, n) for n in work.JUDGEMENT_FIELDS}
            ),
        },
        status=400 if form.is_bound else 200,
    )


@staff_view
@require_http_methods(["GET", "POST"])
def publication(request, year: int):
    """The publisher's page: the round's status, and scheduling its publication."""
    round = get_object_or_404(AssessmentRound, year=year)
    require(workflow.can_manage_round(request.user))
    not_agreed = work.not_agreed_count(round)
    status_form = forms.RoundStatusForm(initial={"status": round.status})
    schedule_form = forms.PublicationTimeForm(initial=_initial_time(round))
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action in ("reschedule-revision", "cancel-revision"):
            return _scheduled_revision(request, round, action)
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
        elif action in ("publish-now", "publish-now-confirmed"):
            require(workflow.can_schedule(request.user, round, not_agreed))
            return _publish_now(request, round, confirmed=action == "publish-now-confirmed")
        elif action == "schedule":
            require(workflow.can_schedule(request.user, round, not_agreed))
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
            "pending": [
                (rating, forms.PublicationTimeForm(prefix=f"r{rating.pk}"))
                for rating in services.pending_revisions(round)
            ],
            "builds": [(job, builds.can_rebuild(job)) for job in builds.unfinished(round)],
            "rebuilds": audit.rebuilds(round)[:10],
            "open_challenges": list(voice.open_challenges(round)),
        },
        status=status,
    )


@staff_view
@require_POST
def rebuild_report(request, year: int, job: int):
    """Start a report build again from its first attempt (a failed one, or one whose
    worker stopped): the publisher's, from the round's page."""
    round = get_object_or_404(AssessmentRound, year=year)
    require(workflow.can_manage_round(request.user))
    jobs = builds.BuildJob.objects.select_related("round", "council")
    found = get_object_or_404(jobs, pk=job, round=round)
    if builds.can_rebuild(found):
        builds.rebuild(found, request.user)
        messages.success(request, f"{builds.describe(found)} will be built again.")
    else:
        messages.info(request, f"{builds.describe(found)} is being built now.")
    return redirect(reverse("workspace:publication", args=[year]))


def _scheduled_revision(request, round: AssessmentRound, action: str):
    """Reschedule or cancel a revision (a refresh or correction) that is waiting for its
    publication time: the only ways it changes before then."""
    try:
        rating_id = int(request.POST.get("rating", ""))
    except ValueError:
        raise Http404("No such revision.") from None
    rating = get_object_or_404(Rating.objects.select_related("council"), pk=rating_id, round=round)
    url = reverse("workspace:publication", args=[round.year])
    try:
        if action == "cancel-revision":
            services.cancel_revision(rating, user=request.user)
            messages.success(
                request,
                f"{rating.council.name}'s scheduled revision {rating.revision} is cancelled; "
                "it was never public.",
            )
            return redirect(url)
        form = forms.PublicationTimeForm(request.POST, prefix=f"r{rating.pk}")
        if not form.is_valid():
            errors = "; ".join(e for field in form.errors.values() for e in field)
            raise services.ScheduledChange(errors)
        when = form.cleaned_data["publication_at"]
        services.reschedule_revision(rating, when, user=request.user)
    except services.ScheduledChange as refused:
        messages.error(request, f"{rating.council.name}: {refused}")
        return redirect(url)
    messages.success(
        request,
        f"{rating.council.name}'s revision {rating.revision} will be published at "
        f"{timezone.localtime(when):%H:%M on %-d %B %Y}.",
    )
    return redirect(url)


def _publish_now(request, round: AssessmentRound, *, confirmed: bool):
    """Publishing at once, in two steps: first what will become public (how many
    councils, their stars), then, if the publisher confirms that, the publication, unless
    the agreed judgements changed in between."""
    preview = work.publication_preview(round)
    error = ""
    if confirmed:
        try:
            work.schedule_round(
                round,
                None,
                request.user,
                publish_now=True,
                fingerprint=request.POST.get("fingerprint", ""),
            )
        except (work.WorkflowError, services.CapExceeded) as failure:
            error = str(failure)
        else:
            messages.success(request, f"The {round.year} round is published.")
            return redirect(reverse("workspace:publication", args=[round.year]))
    return render(
        request,
        "workspace/publish_now.html",
        {
            "round": round,
            "preview": preview,
            "error": error,
            "open_challenges": list(voice.open_challenges(round)),
        },
        status=409 if error else 200,
    )


def _initial_time(round: AssessmentRound) -> dict:
    if round.publication_at is None:
        return {}
    local = timezone.localtime(round.publication_at)
    return {"date": local.date(), "time": local.time().replace(second=0, microsecond=0)}
