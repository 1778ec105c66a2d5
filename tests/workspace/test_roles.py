"""The roles the migration made are the roles the code describes."""

import pytest
from django.contrib.auth.models import Group

from workspace import roles

pytestmark = pytest.mark.django_db


def _granted():
    return {
        group.name: {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        }
        for group in Group.objects.filter(name__in=roles.ROLES)
    }


def test_the_migrated_roles_have_the_permissions_the_code_names():
    made_by_migration = _granted()
    assert made_by_migration == {name: set(p) for name, p in roles.PERMISSIONS.items()}
    roles.ensure_roles()
    assert _granted() == made_by_migration
