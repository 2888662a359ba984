"""Every survey ends with an optional "anything else" box (issue 13).

The question is added to the existing versions in place rather than as new
versions: it is optional and free text, so no earlier answer changes meaning,
and invitations already sent show it too.
"""

from django.db import migrations
from django.db.models import Max

CODE = "anything_else"
TEXT = "Is there anything else you want to tell us?"


def add(apps, schema_editor):
    Instrument = apps.get_model("engagement", "Instrument")
    Question = apps.get_model("engagement", "Question")
    for instrument in Instrument.objects.exclude(questions__code=CODE):
        last = instrument.questions.aggregate(last=Max("order"))["last"] or 0
        Question.objects.create(instrument=instrument, order=last + 1, code=CODE, text=TEXT,
                                type="text", driver="other", required=False)


def remove(apps, schema_editor):
    Question = apps.get_model("engagement", "Question")
    Answer = apps.get_model("engagement", "Answer")
    asked = Question.objects.filter(code=CODE)
    Answer.objects.filter(question__in=asked).delete()
    asked.delete()


class Migration(migrations.Migration):
    dependencies = [("engagement", "0004_loop_rules_watch_questions")]

    operations = [migrations.RunPython(add, remove)]
