"""Page-number pagination for every list: 100 rows a page by default, ``?page_size=`` up
to 1000. CSV responses are not paginated (see ``views.CSVUnpaginatedMixin``)."""

from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
