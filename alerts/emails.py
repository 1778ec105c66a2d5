"""The e-mails: the confirmation link, and one alert per subscriber per publication.

Plain text, from ``DEFAULT_FROM_EMAIL``, with absolute links built on ``PORTAL_BASE_URL``
(no request to take a host from: the worker sends them). Every alert carries the
subscriber's unsubscribe link in its body and in the ``List-Unsubscribe`` header, with
``List-Unsubscribe-Post`` so that mail programs can unsubscribe in one click (RFC 8058).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from . import tokens
from .publications import Publication


def absolute(path: str) -> str:
    return f"{settings.PORTAL_BASE_URL}{path}"


def confirmation_link(subscription) -> str:
    return absolute(reverse("alerts:confirm", args=[tokens.confirmation_token(subscription)]))


def unsubscribe_link(subscription) -> str:
    return absolute(reverse("alerts:unsubscribe", args=[tokens.unsubscribe_token(subscription)]))


def _message(subject: str, body: str, to: str, headers: dict | None = None) -> EmailMessage:
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Auto-Submitted": "auto-generated", **(headers or {})},
    )


def confirmation(subscription, councils) -> EmailMessage:
    body = render_to_string(
        "alerts/email/confirmation.txt",
        {
            "portal_name": settings.PORTAL_NAME,
            "link": confirmation_link(subscription),
            "days": settings.ALERTS_CONFIRMATION_DAYS,
            "everything": subscription.everything,
            "councils": councils,
        },
    )
    return _message(
        f"Confirm your email alerts from {settings.PORTAL_NAME}", body, subscription.email
    )


def possessive(name: str) -> str:
    return f"{name}’s"


def subject(publication: Publication, councils) -> str:
    if publication.is_first:
        return f"Star ratings {publication.year} published"
    if len(councils) == 1:
        return f"Correction to {possessive(councils[0].name)} {publication.year} star rating"
    return f"Corrections to {len(councils)} councils’ {publication.year} star ratings"


def alert(subscription, publication: Publication, councils) -> EmailMessage:
    """The alert of ``publication`` to ``subscription``; ``councils``: the lines of the
    publication it is about (all of them for a subscription to everything)."""
    link = unsubscribe_link(subscription)
    body = render_to_string(
        "alerts/email/alert.txt",
        {
            "portal_name": settings.PORTAL_NAME,
            "publication": publication,
            "councils": councils,
            # A first publication to everyone: the round's pages, not 150 lines.
            "list_councils": not (publication.is_first and subscription.everything),
            "round_link": absolute(reverse("league-table", args=[publication.year])),
            "summary_link": absolute(reverse("national-summary", args=[publication.year])),
            "lines": [
                (line, absolute(reverse("council-year", args=[line.slug, publication.year])))
                for line in councils
            ],
            "unsubscribe_link": link,
            "subscribe_link": absolute(reverse("alerts:subscribe")),
        },
    )
    return _message(
        subject(publication, councils),
        body,
        subscription.email,
        {
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
