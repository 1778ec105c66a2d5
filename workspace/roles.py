"""The staff roles: Django groups made by migration ``ratings.0003_roles``, and their
permissions (declared on :class:`workspace.models.Assessment`).

Views check permissions (``workspace.enter_judgements`` and so on), never group names; the
names are here for the demo users, the admin and the tests. :data:`PERMISSIONS` is what the
migrations gave each role (``feedback.0002`` added the Administrator's reading of visitors'
feedback), in today's app labels (``tests/workspace/test_roles.py`` checks that the two
agree).
"""

INSPECTOR = "Inspector"
LEAD_INSPECTOR = "Lead inspector"
PUBLISHER = "Publisher"
ADMINISTRATOR = "Administrator"
# Not inspectorate staff: a person at a council, who sees that council's rating in the
# pre-release window and replies to it (``workspace.models.CouncilContact`` ties them to it).
COUNCIL_CONTACT = "Council contact"

ROLES = (INSPECTOR, LEAD_INSPECTOR, PUBLISHER, ADMINISTRATOR, COUNCIL_CONTACT)

ENTER = "workspace.enter_judgements"
MODERATE = "workspace.moderate_assessment"
PUBLISH = "workspace.publish_round"
VIEW_ASSESSMENT = "workspace.view_assessment"
VIEW_OWN_COUNCIL = "workspace.view_own_council"

PERMISSIONS = {
    INSPECTOR: (ENTER, VIEW_ASSESSMENT),
    LEAD_INSPECTOR: (MODERATE, VIEW_ASSESSMENT),
    PUBLISHER: (PUBLISH, VIEW_ASSESSMENT),
    ADMINISTRATOR: (
        *(f"auth.{a}_{m}" for m in ("user", "group") for a in ("add", "change", "delete", "view")),
        *(f"workspace.{action}_assignment" for action in ("add", "change", "delete", "view")),
        *(f"workspace.{action}_councilcontact" for action in ("add", "change", "delete", "view")),
        VIEW_ASSESSMENT,
        "ratings.view_assessmentround",
        "ratings.view_council",
        # Visitors' feedback on the public pages, in the admin (migration feedback.0002).
        "feedback.view_pagefeedback",
    ),
    COUNCIL_CONTACT: (VIEW_OWN_COUNCIL,),
}


def ensure_roles() -> None:
    """Make the role groups with their permissions if they are missing (as the migration
    did). For tests that end by emptying every table: post_migrate brings back the
    permissions, not the groups."""
    from django.contrib.auth.models import Group, Permission

    for name, permissions in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            [
                Permission.objects.get(content_type__app_label=app, codename=codename)
                for app, codename in (p.split(".") for p in permissions)
            ]
        )
