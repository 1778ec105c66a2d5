"""The staff roles as Django groups with their permissions (see ratings/roles.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Inspector": [
        ("ratings", "enter_judgements"),
        ("ratings", "view_assessment"),
    ],
    "Lead inspector": [
        ("ratings", "moderate_assessment"),
        ("ratings", "view_assessment"),
    ],
    "Publisher": [
        ("ratings", "publish_round"),
        ("ratings", "view_assessment"),
    ],
    "Administrator": [
        *[("auth", f"{action}_{model}") for model in ("user", "group")
          for action in ("add", "change", "delete", "view")],
        *[("ratings", f"{action}_assignment") for action in ("add", "change", "delete", "view")],
        ("ratings", "view_assessment"),
        ("ratings", "view_assessmentround"),
        ("ratings", "view_council"),
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations; the groups need them now.
    for label in ("auth", "ratings"):
        config = apps.get_app_config(label)
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            [
                Permission.objects.get(content_type__app_label=app, codename=codename)
                for app, codename in codenames
            ]
        )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("ratings", "0002_workspace"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
