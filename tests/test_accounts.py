"""Signing in and out, passwords, throttling and session expiry, through the real forms.

Sign-in goes through the login form with a client that enforces CSRF checks, as a browser
would. django-axes' backend needs the request, which ``Client.login()`` does not pass, so
where signing in is not the point the tests use ``force_login``.
"""

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from .factories import RatingFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
LOGIN = "/accounts/login/"


@pytest.fixture
def ann():
    return get_user_model().objects.create_user("ann", "ann@inspectorate.example", PASSWORD)


@pytest.fixture
def browser():
    return Client(enforce_csrf_checks=True)


def csrf_token(response, form_action=None):
    """The CSRF token of the page's form (the one posting to ``form_action``, if given)."""
    html = response.content.decode()
    if form_action:
        html = html[html.index(f'action="{form_action}"') :]
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def sign_in(client, username, password, next_url=None, remote_addr="127.0.0.1"):
    page = client.get(LOGIN, {"next": next_url} if next_url else {}, REMOTE_ADDR=remote_addr)
    assert page.status_code == 200
    data = {
        "username": username,
        "password": password,
        "csrfmiddlewaretoken": csrf_token(page, LOGIN),
    }
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data, REMOTE_ADDR=remote_addr)


def signed_in(client):
    return SESSION_KEY in client.session


# Signing in --------------------------------------------------------------------------


def test_anonymous_workspace_request_goes_to_the_sign_in_page(client):
    response = client.get("/workspace/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/workspace/"


def test_sign_in_through_the_form_goes_where_asked(browser, ann):
    response = sign_in(browser, "ann", PASSWORD, next_url="/accounts/password_change/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password_change/"
    assert signed_in(browser)
    assert browser.get("/accounts/password_change/").status_code == 200


def test_sign_in_without_next_goes_to_the_workspace(browser, ann):
    response = sign_in(browser, "ann", PASSWORD)
    assert response["Location"] == reverse("workspace:dashboard")


def test_sign_in_refuses_an_offsite_next(browser, ann):
    response = sign_in(browser, "ann", PASSWORD, next_url="https://evil.example/")
    assert response["Location"] == reverse("workspace:dashboard")


def test_sign_in_without_the_csrf_token_is_refused(browser, ann):
    browser.get(LOGIN)
    response = browser.post(LOGIN, {"username": "ann", "password": PASSWORD})
    assert response.status_code == 403
    assert not signed_in(browser)


def test_the_sign_in_page(client):
    page = client.get(LOGIN + "?next=/workspace/").content.decode()
    assert 'class="govuk-template' in page  # extends base.html
    assert "<h1" in page and "Sign in" in page
    assert '<label class="govuk-label" for="id_username">Username</label>' in page
    assert '<label class="govuk-label" for="id_password">Password</label>' in page
    assert 'autocomplete="username"' in page
    assert 'autocomplete="current-password"' in page
    assert 'data-module="govuk-password-input"' in page
    assert '<input type="hidden" name="next" value="/workspace/">' in page
    assert 'href="/accounts/password_reset/"' in page
    # What it says about throttling is what the settings do.
    assert f"After {settings.AXES_FAILURE_LIMIT} wrong passwords" in page
    assert f"wait {settings.AXES_COOLOFF_TIME.seconds // 60} minutes" in page


def test_wrong_password_is_reported_in_an_error_summary_linked_to_the_field(browser, ann):
    response = sign_in(browser, "ann", "not the password")
    assert response.status_code == 200
    assert not signed_in(browser)
    page = response.content.decode()
    assert "<title>Error: Sign in" in page
    assert 'class="govuk-error-summary"' in page
    assert '<a href="#id_username">Please enter a correct username and password.' in page
    assert 'value="ann"' in page  # the username is kept; the password never is
    assert "not the password" not in page


def test_missing_fields_are_each_reported_and_linked(browser):
    page = browser.get(LOGIN)
    response = browser.post(LOGIN, {"csrfmiddlewaretoken": csrf_token(page, LOGIN)})
    html = response.content.decode()
    assert '<a href="#id_username">Enter your username</a>' in html
    assert '<a href="#id_password">Enter your password</a>' in html
    assert 'id="id_username-error"' in html
    assert 'aria-describedby="id_password-error"' in html
    assert "govuk-input--error" in html


# Throttling (django-axes) ----------------------------------------------------------------


def test_five_failures_lock_the_username_out_for_fifteen_minutes(browser, ann):
    for _ in range(4):
        assert sign_in(browser, "ann", "wrong").status_code == 200
    locked = sign_in(browser, "ann", "wrong")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert 'class="govuk-template' in page  # the site's own page, not a bare 403
    assert "You need to wait before you sign in" in page
    assert "You can try again in 15 minutes." in page
    assert 'href="/accounts/password_reset/"' in page
    assert "Content-Security-Policy" in locked.headers

    # The right password does not help while locked out...
    assert sign_in(browser, "ann", PASSWORD).status_code == 429
    assert not signed_in(browser)

    # ...but does once the wait is over (counted from the last attempt).
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=16)):
        response = sign_in(browser, "ann", PASSWORD)
    assert response.status_code == 302
    assert signed_in(browser)


def test_lockout_is_by_username_and_address(ann):
    get_user_model().objects.create_user("bob", "bob@inspectorate.example", PASSWORD)
    attacker = Client(enforce_csrf_checks=True)
    for _ in range(5):
        sign_in(attacker, "ann", "wrong", remote_addr="203.0.113.9")
    assert sign_in(attacker, "ann", PASSWORD, remote_addr="203.0.113.9").status_code == 429
    # Another user from the same address, and the same user from elsewhere, may sign in.
    assert sign_in(Client(), "bob", PASSWORD, remote_addr="203.0.113.9").status_code == 302
    assert sign_in(Client(), "ann", PASSWORD, remote_addr="198.51.100.7").status_code == 302


def test_failures_across_usernames_lock_the_address_out(ann):
    """One address trying a password on many accounts: each username fails once, so no
    username reaches its own limit, but the address reaches the higher one."""
    limit = settings.SIGN_IN_ADDRESS_FAILURE_LIMIT
    assert limit == 20 > settings.AXES_FAILURE_LIMIT
    attacker = "203.0.113.50"
    for number in range(limit - 1):
        response = sign_in(Client(), f"guess{number}", "Winter2004!", remote_addr=attacker)
        assert response.status_code == 200
    locked = sign_in(Client(), f"guess{limit}", "Winter2004!", remote_addr=attacker)
    assert locked.status_code == 429
    page = locked.content.decode()
    assert 'class="govuk-template' in page
    assert "You need to wait before you sign in" in page
    assert f"wrong password was entered {limit} times from your network" in page
    assert "You can try again in 15 minutes." in page
    assert "guess" not in page

    # The right password for another account from that address is refused too...
    browser = Client()
    assert sign_in(browser, "ann", PASSWORD, remote_addr=attacker).status_code == 429
    assert not signed_in(browser)
    # ...while from another address it works.
    assert sign_in(Client(), "ann", PASSWORD, remote_addr="198.51.100.7").status_code == 302

    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=16)):
        response = sign_in(browser, "ann", PASSWORD, remote_addr=attacker)
    assert response.status_code == 302


def test_an_office_behind_one_address_is_not_locked_out_by_a_few_typos(ann):
    """Mistakes by several people behind one address stay under the address's limit."""
    office = "192.0.2.10"
    for person in ("bob", "carol", "dev"):
        get_user_model().objects.create_user(person, password=PASSWORD)
        for _ in range(4):
            assert sign_in(Client(), person, "wrong", remote_addr=office).status_code == 200
    assert sign_in(Client(), "ann", PASSWORD, remote_addr=office).status_code == 302


def test_a_successful_sign_in_clears_the_failures(browser, ann):
    for _ in range(4):
        sign_in(browser, "ann", "wrong")
    assert sign_in(browser, "ann", PASSWORD).status_code == 302
    browser.logout()
    for _ in range(4):
        assert sign_in(browser, "ann", "wrong").status_code == 200


# Signing out and the header ------------------------------------------------------------


def test_sign_out_is_a_post_from_the_header(browser, ann):
    browser.force_login(ann)
    page = browser.get("/about/")
    response = browser.post(
        "/accounts/logout/", {"csrfmiddlewaretoken": csrf_token(page, "/accounts/logout/")}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not signed_in(browser)


def test_sign_out_by_get_is_not_allowed(client, ann):
    client.force_login(ann)
    assert client.get("/accounts/logout/").status_code == 405
    assert signed_in(client)


def test_signed_in_header_has_workspace_and_sign_out(client, ann):
    client.force_login(ann)
    page = client.get("/about/").content.decode()
    assert f'href="{reverse("workspace:dashboard")}"' in page and ">Workspace</a>" in page
    assert '<form method="post" action="/accounts/logout/" class="portal-sign-out">' in page
    assert 'portal-sign-out__button">Sign out</button>' in page
    assert "Staff sign in" not in page


def test_anonymous_pages_have_no_staff_header_and_no_csrf_token(client):
    page = client.get("/about/").content.decode()
    assert "Sign out" not in page
    assert "Workspace" not in page
    assert "csrfmiddlewaretoken" not in page
    # A quiet way in for staff, in the footer.
    assert '<a class="govuk-footer__link" href="/accounts/login/">Staff sign in</a>' in page


def test_cached_public_pages_never_hold_anything_of_a_signed_in_user(client):
    """Public pages are cached for anonymous visitors only (ratings/page_cache.py)."""
    ann = get_user_model().objects.create_user("ann.mistry", password=PASSWORD)
    RatingFactory(round__year=2004)
    anonymous = client.get("/ratings/2004/")
    assert anonymous.status_code == 200
    assert "Cookie" in anonymous["Vary"]

    staff = Client()
    staff.force_login(ann)
    staff_page = staff.get("/ratings/2004/").content.decode()
    assert "Sign out" in staff_page  # not the anonymous page from the cache

    again = client.get("/ratings/2004/").content.decode()
    assert "Sign out" not in again
    assert "csrfmiddlewaretoken" not in again
    assert "ann.mistry" not in again


def test_signed_in_home_page(client, ann):
    RatingFactory(round__year=2004)
    client.force_login(ann)
    response = client.get("/")
    assert response.status_code == 200
    assert "Sign out" in response.content.decode()


# Passwords ------------------------------------------------------------------------------


def test_password_change(browser, ann):
    browser.force_login(ann)
    form = browser.get("/accounts/password_change/")
    page = form.content.decode()
    assert 'autocomplete="current-password"' in page
    assert page.count('autocomplete="new-password"') == 2
    new = "a brand new passphrase 42"
    response = browser.post(
        "/accounts/password_change/",
        {
            "csrfmiddlewaretoken": csrf_token(form, "/accounts/password_change/"),
            "old_password": PASSWORD,
            "new_password1": new,
            "new_password2": new,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password_change/done/"
    done = browser.get(response["Location"])  # still signed in
    assert done.status_code == 200
    assert "Your password has been changed" in done.content.decode()
    ann.refresh_from_db()
    assert ann.check_password(new)


def test_password_change_with_the_wrong_old_password(browser, ann):
    browser.force_login(ann)
    form = browser.get("/accounts/password_change/")
    response = browser.post(
        "/accounts/password_change/",
        {
            "csrfmiddlewaretoken": csrf_token(form, "/accounts/password_change/"),
            "old_password": "wrong",
            "new_password1": "a brand new passphrase 42",
            "new_password2": "a brand new passphrase 42",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: Change your password" in page
    assert '<a href="#id_old_password">' in page
    ann.refresh_from_db()
    assert ann.check_password(PASSWORD)


def test_password_change_needs_sign_in(client):
    response = client.get("/accounts/password_change/")
    assert response["Location"] == "/accounts/login/?next=/accounts/password_change/"


def test_password_reset_by_email(browser, ann):
    form = browser.get("/accounts/password_reset/")
    assert 'autocomplete="email"' in form.content.decode()
    response = browser.post(
        "/accounts/password_reset/",
        {
            "csrfmiddlewaretoken": csrf_token(form, "/accounts/password_reset/"),
            "email": "ann@inspectorate.example",
        },
    )
    assert response["Location"] == "/accounts/password_reset/done/"
    assert "Check your email" in browser.get(response["Location"]).content.decode()

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["ann@inspectorate.example"]
    assert email.subject == "Reset your password for the staff workspace at testserver"
    assert "ann" in email.body
    assert "&#x27;" not in email.body and "&amp;" not in email.body  # plain text, unescaped
    assert settings.PASSWORD_RESET_TIMEOUT == 24 * 60 * 60  # "within 24 hours"
    assert "within 24 hours" in email.body
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", email.body).group(1)

    # The link swaps its token for a session one and shows the form.
    confirm = browser.get(link, follow=True)
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert "Choose a new password" in page
    assert page.count('autocomplete="new-password"') == 2
    set_password_url = confirm.redirect_chain[-1][0]
    new = "a brand new passphrase 42"
    response = browser.post(
        set_password_url,
        {"csrfmiddlewaretoken": csrf_token(confirm), "new_password1": new, "new_password2": new},
    )
    assert response["Location"] == "/accounts/reset/done/"
    complete = browser.get(response["Location"]).content.decode()
    assert "Your password has been changed" in complete
    assert 'href="/accounts/login/"' in complete

    assert sign_in(Client(enforce_csrf_checks=True), "ann", new).status_code == 302
    # The link works once.
    assert "This link no longer works" in browser.get(link, follow=True).content.decode()


def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(browser):
    form = browser.get("/accounts/password_reset/")
    response = browser.post(
        "/accounts/password_reset/",
        {"csrfmiddlewaretoken": csrf_token(form), "email": "nobody@example.org"},
    )
    assert response["Location"] == "/accounts/password_reset/done/"
    assert mail.outbox == []


def ask_for_a_reset(email, remote_addr="127.0.0.1"):
    browser = Client(enforce_csrf_checks=True)
    form = browser.get("/accounts/password_reset/", REMOTE_ADDR=remote_addr)
    return browser.post(
        "/accounts/password_reset/",
        {"csrfmiddlewaretoken": csrf_token(form, "/accounts/password_reset/"), "email": email},
        REMOTE_ADDR=remote_addr,
    )


def test_password_reset_emails_to_one_address_are_limited(ann):
    limit = settings.PASSWORD_RESET_LIMIT
    assert limit == 5
    assert settings.PASSWORD_RESET_LIMIT_PERIOD.total_seconds() == 60 * 60
    for number in range(limit):
        response = ask_for_a_reset("ann@inspectorate.example", f"198.51.100.{number}")
        assert response["Location"] == "/accounts/password_reset/done/"
    assert len(mail.outbox) == limit

    # Over the limit the answer is the same, from any address, but no email goes.
    for number in range(3):
        response = ask_for_a_reset("ANN@inspectorate.example", f"203.0.113.{number}")
        assert response.status_code == 302
        assert response["Location"] == "/accounts/password_reset/done/"
    assert len(mail.outbox) == limit

    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=61)):
        ask_for_a_reset("ann@inspectorate.example", "203.0.113.9")
    assert len(mail.outbox) == limit + 1


def test_password_reset_requests_from_one_client_address_are_limited():
    limit = settings.PASSWORD_RESET_LIMIT
    for number in range(limit + 2):
        get_user_model().objects.create_user(f"user{number}", f"user{number}@example.org", PASSWORD)
    for number in range(limit + 1):
        response = ask_for_a_reset(f"user{number}@example.org", "203.0.113.7")
        assert response["Location"] == "/accounts/password_reset/done/"
    assert len(mail.outbox) == limit
    assert [email.to for email in mail.outbox] == [
        [f"user{number}@example.org"] for number in range(limit)
    ]
    # Asking for an address that has no account counts too, or the limit would tell.
    assert ask_for_a_reset("nobody@example.org", "203.0.113.7").status_code == 302
    assert len(mail.outbox) == limit

    # Another client address is unaffected.
    ask_for_a_reset(f"user{limit + 1}@example.org", "198.51.100.7")
    assert len(mail.outbox) == limit + 1


def test_the_password_reset_pages_say_how_many_links_can_be_sent(client):
    limit = settings.PASSWORD_RESET_LIMIT
    for path in ("/accounts/password_reset/", "/accounts/password_reset/done/"):
        page = client.get(path).content.decode()
        assert f"up to {limit} links an hour" in page, path


def test_password_reset_with_a_bad_address_is_an_error(browser):
    form = browser.get("/accounts/password_reset/")
    response = browser.post(
        "/accounts/password_reset/",
        {"csrfmiddlewaretoken": csrf_token(form), "email": "not an address"},
    )
    page = response.content.decode()
    assert '<a href="#id_email">Enter a valid email address.</a>' in page


# Sessions -------------------------------------------------------------------------------


def test_sessions_expire():
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_SAVE_EVERY_REQUEST is False  # 8 hours from sign-in, not idle
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_a_session_ends_with_the_browser_and_after_eight_hours(browser, ann):
    response = sign_in(browser, "ann", PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["expires"] and not cookie["max-age"]  # gone when the browser closes
    assert browser.get("/accounts/password_change/").status_code == 200
    signed_in_at = dt.datetime.now(dt.UTC)
    with time_machine.travel(signed_in_at + dt.timedelta(hours=7, minutes=50)):
        assert browser.get("/accounts/password_change/").status_code == 200
    # Using the session did not extend it: 8 hours from signing in, it has expired.
    with time_machine.travel(signed_in_at + dt.timedelta(hours=8, minutes=1)):
        response = browser.get("/accounts/password_change/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
