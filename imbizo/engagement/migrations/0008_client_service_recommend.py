"""The client-service survey asks the would-recommend question (0 to 10).

The seven measures end with a 1-to-5 referral statement, which is not the
would-recommend score (NPS) the clients' figures need. Added as version 2
of the survey, the earlier version unchanged: answers always point at the
version that was asked, and a new question changes what a response holds.
The question is optional: a client who will not score us from 0 to 10
still gives the seven measures.
"""

from django.db import migrations

CODE = "client-service"
RECOMMEND = ("recommend", "How likely are you to recommend us to someone who needs our services?",
             "scale11", "recommend", False)
INTRODUCTION = ("Seven measures of how we serve you as a client, and whether you would "
                "recommend us. It takes three minutes.")


def add(apps, schema_editor):
    Instrument = apps.get_model("engagement", "Instrument")
    Question = apps.get_model("engagement", "Question")
    current = Instrument.objects.filter(code=CODE).order_by("-version").first()
    if current is None or current.questions.filter(code=RECOMMEND[0]).exists():
        return
    new = Instrument.objects.create(code=CODE, version=current.version + 1, name=current.name,
                                    purpose=current.purpose, introduction=INTRODUCTION,
                                    published=True)
    questions, order = [], 0
    for question in current.questions.order_by("order", "id"):
        if question.code == "anything_else":  # the open box stays last
            order += 1
            code, text, kind, driver, required = RECOMMEND
            questions.append(Question(instrument=new, order=order, code=code, text=text,
                                      type=kind, driver=driver, required=required))
        order += 1
        questions.append(Question(instrument=new, order=order, code=question.code,
                                  text=question.text, type=question.type, driver=question.driver,
                                  required=question.required, choices=question.choices))
    if not any(q.code == RECOMMEND[0] for q in questions):
        code, text, kind, driver, required = RECOMMEND
        questions.append(Question(instrument=new, order=order + 1, code=code, text=text,
                                  type=kind, driver=driver, required=required))
    Question.objects.bulk_create(questions)


def remove(apps, schema_editor):
    Instrument = apps.get_model("engagement", "Instrument")
    Instrument.objects.filter(code=CODE, questions__code=RECOMMEND[0],
                              responses__isnull=True).distinct().delete()


class Migration(migrations.Migration):
    dependencies = [("engagement", "0007_contact_language")]

    operations = [migrations.RunPython(add, remove)]
