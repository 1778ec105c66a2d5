"""The alerts' pages under ``/alerts/``: subscribe, check your email, confirm, unsubscribe.

None is ever cached (``never_cache``: they carry a CSRF token, or act on a link that is
someone's own). A link from an e-mail is a GET that only shows a button, because mail
scanners open links; the button's POST acts. The unsubscribe address also takes the
RFC 8058 one-click POST (body ``List-Unsubscribe=One-Click``) a mail program sends,
without a CSRF token: the signed token in the address is what authorises it.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from ratings.models import Council

from . import addresses, emails, subscriptions, throttle, tokens
from .forms import COUNCILS, EVERYTHING, SubscribeForm

logger = logging.getLogger(__name__)

ONE_CLICK = "One-Click"


def _councils() -> list:
    # Councils are reference data, not under embargo.
    return list(Council.objects.select_related("region").order_by("region__name", "name"))


def _regions(councils, chosen: set[str]) -> list[tuple[str, list[tuple[object, bool]]]]:
    regions: dict[str, list] = {}
    for council in councils:
        regions.setdefault(council.region.name, []).append((council, council.slug in chosen))
    return list(regions.items())


def _problem(request, heading: str, message: str, status: int):
    return render(
        request, "alerts/problem.html", {"heading": heading, "message": message}, status=status
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    councils = _councils()
    if request.method == "POST":
        form = SubscribeForm(request.POST, councils=councils)
        if form.is_valid():
            if not throttle.client_may_ask(request):
                return _problem(
                    request,
                    "You need to wait before asking again",
                    f"Alerts have been asked for too many times from your network. You can "
                    f"ask again in {_period_words()}.",
                    429,
                )
            return _subscribe(request, form)
        chosen = set(request.POST.getlist("councils"))
        preselected = None
    else:
        # ?council=<slug> from a council's page: that council ticked.
        asked = request.GET.get("council", "")
        preselected = next((c for c in councils if c.slug == asked), None)
        form = SubscribeForm(
            initial={"scope": COUNCILS if preselected else EVERYTHING}, councils=councils
        )
        chosen = {preselected.slug} if preselected else set()
    return render(
        request,
        "alerts/subscribe.html",
        {
            "form": form,
            "regions": _regions(councils, chosen),
            "first_council": councils[0] if councils else None,
            "preselected": preselected,
            "scope": form["scope"].value(),
            "days": settings.ALERTS_CONFIRMATION_DAYS,
            "email_limit": settings.ALERTS_EMAIL_LIMIT,
        },
    )


def _period_words() -> str:
    minutes = int(settings.ALERTS_LIMIT_PERIOD.total_seconds() // 60)
    if minutes % 60 == 0:
        hours = minutes // 60
        return "an hour" if hours == 1 else f"{hours} hours"
    return f"{minutes} minutes"


def _subscribe(request, form: SubscribeForm):
    email = form.cleaned_data["email"]
    # Over the address's limit, the same answer as any other (nothing tells whether the
    # address asked before), and nothing changed: the last link sent still works.
    if not throttle.may_email(addresses.keyed_hash(email)):
        return redirect("alerts:check-email")
    chosen = form.chosen
    subscription = subscriptions.request(
        email, everything=form.everything, council_ids=[c.pk for c in chosen]
    )
    try:
        emails.confirmation(subscription, [c.name for c in chosen]).send()
    except OSError:  # smtplib's errors are OSErrors
        logger.exception("confirmation e-mail not sent")
        return _problem(
            request,
            "Sorry, we could not send the email",
            "Our email service is not working at the moment. Try again later.",
            503,
        )
    return redirect("alerts:check-email")


@never_cache
@require_safe
def check_email(request):
    return render(request, "alerts/check_email.html", {"days": settings.ALERTS_CONFIRMATION_DAYS})


def _bad_link(request, error: tokens.BadLink):
    if error.expired:
        return _problem(
            request,
            "This link has expired",
            f"Confirmation links work for {settings.ALERTS_CONFIRMATION_DAYS} days. "
            "Ask for alerts again and we will send you a new one.",
            400,
        )
    return _problem(
        request,
        "This link is not valid",
        "Check that you copied the whole link from the email. If you asked for alerts "
        "again since, only the newest email’s link works.",
        404,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token: str):
    try:
        pk, nonce = tokens.read_confirmation(token)
    except tokens.BadLink as error:
        return _bad_link(request, error)
    subscription = subscriptions.find(pk, nonce)
    if subscription is None:
        return _bad_link(request, tokens.BadLink())
    if request.method == "POST":
        subscription = subscriptions.confirm(subscription)
        return render(
            request,
            "alerts/confirmed.html",
            {
                "subscription": subscription,
                "councils": list(subscription.councils.order_by("name")),
            },
        )
    return render(request, "alerts/confirm.html", {"action": request.path})


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token: str):
    try:
        pk, nonce = tokens.read_unsubscribe(token)
    except tokens.BadLink as error:
        return _bad_link(request, error)
    if request.method == "POST":
        if request.POST.get("List-Unsubscribe") == ONE_CLICK:
            return _unsubscribed(request, pk, nonce)
        # The page's own button: an ordinary form, with its CSRF token checked.
        return csrf_protect(_unsubscribed)(request, pk, nonce)
    subscription = subscriptions.find(pk, nonce)
    return render(
        request,
        "alerts/unsubscribe.html",
        {"subscription": subscription, "action": request.path},
    )


def _unsubscribed(request, pk: int, nonce: str):
    subscriptions.unsubscribe(pk, nonce)
    return render(
        request, "alerts/unsubscribed.html", {"subscribe_url": reverse("alerts:subscribe")}
    )
