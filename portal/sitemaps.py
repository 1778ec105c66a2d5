"""The sitemap (/sitemap.xml). Add a Sitemap class to ``sitemaps`` for more pages; public
ratings must come through ``ratings.selectors`` so that nothing embargoed is listed."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from ratings.sitemaps import sitemaps as ratings_sitemaps


class StaticPagesSitemap(Sitemap):
    """The front page and the pages that do not depend on the data."""

    changefreq = "monthly"

    def items(self):
        return ["home", "methodology", "open-data", "about", "accessibility"]

    def location(self, item):
        return reverse(item)

    def priority(self, item):
        return 1.0 if item == "home" else 0.5


sitemaps = {"static": StaticPagesSitemap, **ratings_sitemaps}
