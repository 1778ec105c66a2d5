"""drf-spectacular hooks for the open data API's OpenAPI schema."""

API_PREFIX = "/api/"


def only_the_open_data_api(endpoints, **kwargs):
    """Document only the endpoints under /api/, whatever other DRF views the site has."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(API_PREFIX)]


def document_page_not_found(result, **kwargs):
    """A page number past the end answers 404 on every paginated list: say so."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            names = {parameter.get("name") for parameter in operation.get("parameters", [])}
            if "page" in names:
                operation["responses"].setdefault(
                    "404",
                    {
                        "description": "No such page (or no such published round).",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                )
    return result
