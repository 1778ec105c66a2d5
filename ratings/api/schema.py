"""drf-spectacular hooks for the open data API's OpenAPI schema."""

API_PREFIX = "/api/"


def only_the_open_data_api(endpoints, **kwargs):
    """Document only the endpoints under /api/, whatever other DRF views the site has."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(API_PREFIX)]
