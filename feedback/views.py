"""The feedback form's answer, and the thank-you page.

The form sits at the foot of every public page (``templates/includes/_feedback.html``),
and those pages are cached and shared by every anonymous visitor (``ratings.page_cache``).
A CSRF token in a shared page would be one visitor's token served to all, and Django would
set its cookie with the page, which makes the page uncacheable. So the form carries no
token and its view is exempt from the CSRF check. That is safe here because the view
does nothing on anyone's behalf: it is anonymous (it reads no session and no cookie, so a
forged POST gains nothing a direct one would not), it only adds a row staff read, every
field is length-limited, and each client may send at most ``throttle.LIMIT`` in
``throttle.PERIOD``.

After a POST the visitor is sent to ``/feedback/thanks/`` (Post/Redirect/Get), a page of
its own rather than a message in the page they came from, which is a cached copy that
cannot say "thank you" to one visitor.
"""

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from . import forms, paths, throttle
from .forms import FeedbackForm
from .models import PageFeedback


def _message(request, status: int, title: str, message: str, page: str | None = None):
    response = render(
        request,
        "feedback/message.html",
        {"title": title, "message": message, "page": page},
        status=status,
    )
    if status == 405:
        response["Allow"] = "POST"
    elif status == 429:
        response["Retry-After"] = str(int(throttle.PERIOD.total_seconds()))
    return response


@csrf_exempt  # See the module's docstring: no token in a cached page, and none needed.
def feedback(request):
    if request.method != "POST":
        return _message(
            request,
            405,
            "Send feedback from the page it is about",
            "Feedback is sent with the form at the foot of each page of this site: "
            "“Is this page useful?” and “Report a problem with this page”",
        )
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return _invalid(request, form)
    data = form.cleaned_data
    if not throttle.take_a_place(request):
        return _message(
            request,
            429,
            "You have sent a lot of feedback",
            "You have sent a lot of feedback in a short time, so we have not kept this. "
            f"Try again in {int(throttle.PERIOD.total_seconds() // 60)} minutes",
            data["page"],
        )
    PageFeedback.objects.create(
        path=data["page"],
        useful=data["useful"],
        doing=data["doing"],
        went_wrong=data["went_wrong"],
    )
    return HttpResponseRedirect(
        f"{reverse('feedback-thanks')}?{urlencode({'page': data['page']})}", status=303
    )


def _invalid(request, form):
    """A 400 that says what was wrong. A problem report that was too long is shown again,
    with what was written, to be shortened; anything else only a form at the foot of a
    page could put right."""
    if "page" in form.errors:
        # Whatever was wrong with it (not a path, another site's, too long), one answer.
        return _message(request, 400, "We could not keep your feedback", forms.UNKNOWN_PAGE)
    page = form.cleaned_data["page"]
    if "useful" in form.errors:
        return _message(
            request, 400, "We could not keep your feedback", form.errors["useful"][0], page
        )
    return render(request, "feedback/report.html", {"form": form, "page": page}, status=400)


@require_safe
def thanks(request):
    """Thank you, and a link back to the page, if ``?page=`` names one of this site's."""
    return render(
        request, "feedback/thanks.html", {"page": paths.page_path(request.GET.get("page"))}
    )
