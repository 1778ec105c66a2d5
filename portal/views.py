from django.shortcuts import render

from ratings import selectors


def home(request):
    """The front page: what the portal holds and the published rounds."""
    return render(
        request,
        "portal/home.html",
        {"rounds": selectors.published_rounds(), "council_count": selectors.council_count()},
    )
