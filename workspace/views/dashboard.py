"""The dashboards: the round being worked on, or a given round, with every council's
state (an inspector sees only their own councils; those who see every council can filter
by region, inspector and state)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from ratings.models import AssessmentRound

from .. import services as work
from .. import workflow
from .access import staff_view


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
        "states": list(work.State),
        "rounds": AssessmentRound.objects.order_by("-year"),
        "is_publisher": workflow.is_publisher(user),
        "is_lead": workflow.is_lead(user),
        "published": round.is_published(),
    }
    return render(request, "workspace/dashboard.html", context)
