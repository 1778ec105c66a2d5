from django.conf import settings


def site(request):
    """The portal's name and inspectorate, for the site shell."""
    return {"portal_name": settings.PORTAL_NAME, "inspectorate_name": settings.INSPECTORATE_NAME}
