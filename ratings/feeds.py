"""The Atom feeds (``django.contrib.syndication``): every publication of the ratings, and
each council's ratings. The entries are ``ratings.feed_entries``'s; here they are written
as Atom, with full addresses from ``PORTAL_BASE_URL`` (a feed is cached as one answer for
every visitor, so it cannot take its host from the request that built it)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from . import embargo, feed_entries
from .models import Council
from .release_calendar import site_url


class EntriesFeed(Feed):
    """An Atom feed of :class:`~ratings.feed_entries.FeedEntry`. One instance per request:
    ``now`` is the request's clock reading (the gate's)."""

    feed_type = Atom1Feed

    def __init__(self, now=None):
        self.now = embargo.now(now)

    def author_name(self):
        return settings.INSPECTORATE_NAME

    def feed_guid(self, obj):
        return self.feed_url(obj)

    def item_title(self, item):
        return item.title  # Atom's title is text: no escaping

    def item_description(self, item):
        # Written as Atom's <summary type="html">: plain text, escaped once.
        return escape(item.summary).replace("\n", "<br>")

    def item_link(self, item):
        return site_url(item.link)

    def item_guid(self, item):
        return item.id

    def item_pubdate(self, item):
        return item.updated

    def item_updateddate(self, item):
        return item.updated


class PublicationsFeed(EntriesFeed):
    title = "Star ratings: every publication"
    subtitle = (
        "Each publication of the social services star ratings: every round as it is "
        "published, and every correction."
    )

    def link(self, obj):
        return site_url(reverse("rounds"))

    def feed_url(self, obj):
        return site_url(reverse("feed-publications"))

    def items(self, obj):
        return feed_entries.publication_entries(self.now)


class CouncilFeed(EntriesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Council, slug=slug)

    def title(self, council):
        return f"Star ratings of {council.name}"

    def subtitle(self, council):
        return f"{council.name}'s published star ratings, with each correction and its note."

    def link(self, council):
        return site_url(reverse("council", args=[council.slug]))

    def feed_url(self, council):
        return site_url(reverse("council-feed", args=[council.slug]))

    def items(self, council):
        return feed_entries.council_entries(council, self.now)
