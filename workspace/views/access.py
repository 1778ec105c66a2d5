"""Who gets into the workspace, and the council a page is about. ``staff_view`` wraps
every view: sign-in and a workspace role required, nothing cached. ``Case`` is a council's
assessment in a round as one request sees it (404 for an unknown round or council, 403
for someone who may not see it), with what its user may do there."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from ratings.models import AssessmentRound, Council

from .. import services as work
from .. import workflow


def staff_view(view):
    """Sign-in and a workspace role required; no caching of anything staff see."""

    @wraps(view)
    @never_cache
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        decision = workflow.can_use_workspace(request.user)
        if not decision:
            # A council contact signing in lands on the workspace's front page: theirs is
            # their council's.
            if workflow.is_council_contact(request.user) and request.path == reverse(
                "workspace:dashboard"
            ):
                return redirect("workspace:council-home")
            raise PermissionDenied(decision.reason)
        return view(request, *args, **kwargs)

    return wrapper


def form_data(request):
    """(data, files) for a form: bound on POST even when the POST is empty."""
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None


def require(decision: workflow.Decision):
    if not decision:
        raise PermissionDenied(decision.reason)


class Case:
    """A council's assessment in a round, as one request sees it."""

    def __init__(self, request, year: int, slug: str):
        self.round = get_object_or_404(AssessmentRound, year=year)
        self.council = get_object_or_404(Council.objects.select_related("region"), slug=slug)
        self.assessment = work.assessment_for(self.round, self.council)
        self.inspector_id = work.inspector_id(self.round, self.council)
        self.user = request.user
        require(workflow.can_view(self.user, self.assessment, self.inspector_id))

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


def form_page(request, form, template: str, context: dict, *, act, done, then):
    """A page with one form. On a valid POST, ``act(cleaned_data)`` writes (a
    ``WorkflowError`` is shown on the form, and nothing changes); then ``done`` (a message,
    or a function of the data giving one) and a redirect to ``then`` (a URL, or a function
    of the data giving one). Otherwise the page, a 400 when the form came back with
    errors."""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            act(data)
        except work.WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done(data) if callable(done) else done)
            return redirect(then(data) if callable(then) else then)
    return render(
        request, template, {**context, "form": form}, status=400 if form.is_bound else 200
    )
