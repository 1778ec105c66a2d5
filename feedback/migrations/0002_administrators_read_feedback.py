"""The Administrator role (the staff who use the admin) may read the feedback
(workspace/roles.py names it, and tests/workspace/test_roles.py checks the two agree)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE = "Administrator"
CODENAME = "view_pagefeedback"


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations; the role needs this one now.
    config = apps.get_app_config("feedback")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="feedback", codename=CODENAME)
    for group in apps.get_model("auth", "Group").objects.filter(name=ROLE):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name=ROLE):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="feedback", codename=CODENAME)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        # The roles' groups.
        ("ratings", "0003_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
