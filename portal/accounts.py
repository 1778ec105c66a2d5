"""Limits on the staff accounts' ways in, on top of Django's views and django-axes.

- Signing in: django-axes locks a username out from an address after AXES_FAILURE_LIMIT
  failures. :class:`AxesHandler` (``AXES_HANDLER``) also locks an address out after
  SIGN_IN_ADDRESS_FAILURE_LIMIT failures across any usernames, counted from the records
  axes keeps in the database anyway, so the count is shared by every worker and host.
- Password reset: :class:`PasswordResetView` sends at most PASSWORD_RESET_LIMIT emails in
  PASSWORD_RESET_LIMIT_PERIOD to one email address, and for one client address.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db.models import Sum
from django.http import HttpResponseRedirect

from ratings import throttle


class AxesHandler(AxesDatabaseHandler):
    """axes' database handler, with a limit for an address across usernames.

    axes applies one failure limit to every combination of its lockout parameters, so a
    limit per address would be as low as the one per username and one person's typos would
    lock out everyone behind an office's address. Hence this second, higher limit.

    When it is the address that is locked out, ``request.address_failure_limit`` is set, for
    the lockout page to say so.
    """

    def address_failures(self, request) -> int:
        """Failures from the request's address, any username, that axes still counts (a
        username's failures are forgotten AXES_COOLOFF_TIME after its last one)."""
        total = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address,
            attempt_time__gte=get_cool_off_threshold(request),
        ).aggregate(total=Sum("failures_since_start"))["total"]
        return total or 0

    def _address_locked(self, request) -> bool:
        if self.address_failures(request) < settings.SIGN_IN_ADDRESS_FAILURE_LIMIT:
            return False
        request.address_failure_limit = settings.SIGN_IN_ADDRESS_FAILURE_LIMIT
        return True

    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or self._address_locked(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        # As axes does for a username: the failure that reaches the limit gets the lockout
        # page, not the sign-in form again.
        if (
            request is not None
            and not getattr(request, "axes_locked_out", False)
            and not self.is_whitelisted(request, credentials)
            and self._address_locked(request)
        ):
            request.axes_locked_out = True
            request.axes_credentials = credentials


def _take_a_place(kind: str, identity: str) -> bool:
    """Take one of PASSWORD_RESET_LIMIT places for ``identity``, each held for
    PASSWORD_RESET_LIMIT_PERIOD (``ratings.throttle``); False when all are taken."""
    return throttle.take_a_place(
        f"password-reset:{kind}",
        identity,
        settings.PASSWORD_RESET_LIMIT,
        settings.PASSWORD_RESET_LIMIT_PERIOD,
    )


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, sending no more emails once a limit is reached.

    Every valid request counts, whether an account has the address or not, and a request
    over the limit gets the same "check your email" page as any other, so that neither the
    limit nor the answer tells anyone whether an account exists.
    """

    def form_valid(self, form):
        address = throttle.client_address(self.request)
        email = form.cleaned_data["email"].casefold()
        if _take_a_place("client", address) and _take_a_place("email", email):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())
