"""The council contact role (workspace/roles.py): a group with one permission; and the
administrators' permissions to say who each council's contacts are."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE = "Council contact"
PERMISSION = ("workspace", "view_own_council")


CONTACTS = [("workspace", f"{action}_councilcontact") for action in ("add", "change", "delete", "view")]


def create_role(apps, schema_editor):
    # Permissions are normally made after all migrations; the group needs its one now.
    config = apps.get_app_config("workspace")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=ROLE)
    app_label, codename = PERMISSION
    group.permissions.set(
        [Permission.objects.get(content_type__app_label=app_label, codename=codename)]
    )
    administrators = Group.objects.filter(name="Administrator").first()
    if administrators is not None:
        administrators.permissions.add(
            *[Permission.objects.get(content_type__app_label=a, codename=c) for a, c in CONTACTS]
        )


def remove_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=ROLE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("workspace", "0002_council_contacts_and_challenges"),
    ]

    operations = [migrations.RunPython(create_role, remove_role)]
