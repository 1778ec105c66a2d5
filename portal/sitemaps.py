"""The sitemap (/sitemap.xml). Add a Sitemap class to ``sitemaps`` for more pages; public
ratings must come through ``ratings.selectors`` so that nothing embargoed is listed."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from ratings.sitemaps import sitemaps as ratings_sitemaps


class StaticPagesSitemap(Sitemap):
    """The front page, the pages that do not depend on the data, and the published record
    (which is public whatever the embargo, and hides the portal's own figures for what is
    not)."""

    changefreq = "monthly"

    def items(self):
        return ["home", "methodology", "record", "open-data", "about", "accessibility"]

    def location(self, item):
        return reverse(item)

    def priority(self, item):
        return 1.0 if item == "home" else 0.5


sitemaps = {"static": StaticPagesSitemap, **ratings_sitemaps}
