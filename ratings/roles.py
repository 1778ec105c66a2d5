"""The staff roles: Django groups made by migration 0003_roles, and their permissions.

Views check permissions (``ratings.enter_judgements`` and so on), never group names; the
names are here for the demo users, the admin and the tests.
"""

INSPECTOR = "Inspector"
LEAD_INSPECTOR = "Lead inspector"
PUBLISHER = "Publisher"
ADMINISTRATOR = "Administrator"

ROLES = (INSPECTOR, LEAD_INSPECTOR, PUBLISHER, ADMINISTRATOR)

ENTER = "ratings.enter_judgements"
MODERATE = "ratings.moderate_assessment"
PUBLISH = "ratings.publish_round"
