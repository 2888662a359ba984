"""The household needs survey (version 1) and the eleven need categories, as data."""

from django.db import migrations
from django.utils import timezone

from imbizo.field.definitions import HOUSEHOLD_FORM_CODE, NEED_CATEGORIES, household_needs_v1


def seed(apps, schema_editor):
    NeedCategory = apps.get_model("field", "NeedCategory")
    FieldForm = apps.get_model("field", "FieldForm")
    for position, (code, label, group) in enumerate(NEED_CATEGORIES):
        NeedCategory.objects.get_or_create(
            code=code, defaults={"label": label, "service_group": group, "position": position})
    FieldForm.objects.get_or_create(
        code=HOUSEHOLD_FORM_CODE, version="1",
        defaults={"title": "Household needs survey", "definition": household_needs_v1(),
                  "published_at": timezone.now(), "active": True})


class Migration(migrations.Migration):
    dependencies = [("field", "0002_field_core")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
