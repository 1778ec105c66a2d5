"""Sitemap classes for the ratings pages, merged into ``portal.sitemaps.sitemaps``.

Rounds come from the embargo gate and ratings from ``ratings.selectors``, so nothing
embargoed is listed.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from . import embargo, selectors
from .models import Council


class RoundPagesSitemap(Sitemap):
    """The list of rounds, and each published round's league table and national summary."""

    changefreq = "monthly"

    def items(self):
        items = [("rounds", None)]
        for round in embargo.published_rounds():
            items += [("league-table", round), ("national-summary", round)]
        return items

    def location(self, item):
        name, round = item
        return reverse(name) if round is None else reverse(name, args=[round.year])

    def lastmod(self, item):
        return None if item[1] is None else item[1].publication_at

    def priority(self, item):
        return 0.8 if item[0] == "league-table" else 0.6


class CouncilPagesSitemap(Sitemap):
    """Each council's page (its latest published rating)."""

    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return list(Council.objects.order_by("name").values_list("slug", flat=True))

    def location(self, item):
        return reverse("council", args=[item])


class CouncilRoundPagesSitemap(Sitemap):
    """Each council's page for each published round it has a rating in."""

    changefreq = "yearly"
    priority = 0.4

    def items(self):
        return list(
            selectors.current_ratings()
            .order_by("council__name", "round__year")
            .values_list("council__slug", "round__year")
        )

    def location(self, item):
        slug, year = item
        return reverse("council-year", args=[slug, year])


sitemaps = {
    "ratings-rounds": RoundPagesSitemap,
    "ratings-councils": CouncilPagesSitemap,
    "ratings-council-rounds": CouncilRoundPagesSitemap,
}
