"""The standard survey instruments, as data (editable in the admin)."""

from django.db import migrations

S5, S11, YN, TXT, CH = "scale5", "scale11", "yes_no", "text", "choice"

INSTRUMENTS = [
    ("after-contact", "How did we treat you?", "after_contact",
     "Three quick questions about your contact with us. It takes a minute.", [
         ("concern", "Did we show concern for you and your problem?", S5, "concern", True),
         ("friendliness", "How friendly were we?", S5, "friendliness", True),
         ("civility", "How courteous and respectful were we?", S5, "civility", True),
         ("overall", "Overall, how satisfied are you with this contact?", S5, "overall", True),
         ("start", "What should we start doing?", TXT, "start", False),
         ("stop", "What should we stop doing?", TXT, "stop", False),
         ("keep", "What should we keep doing?", TXT, "keep", False),
     ]),
    ("client-service", "Our service to you", "client_service",
     "Seven measures of how we serve you as a client.", [
         ("value", "We give good value for what we ask of you.", S5, "value", True),
         ("ease", "We are easy to deal with.", S5, "ease", True),
         ("integrity", "We keep our word and act with integrity.", S5, "integrity", True),
         ("relevance", "What we offer is relevant to your needs.", S5, "relevance", True),
         ("management", "Our managers pay attention to how you are served.", S5,
          "management_focus", True),
         ("relationship", "We work at a long-term relationship with you.", S5, "relationship",
          True),
         ("referral", "You would refer others to us.", S5, "referral", True),
     ]),
    ("post-transaction", "About what you just did with us", "post_transaction",
     "Seven statements about the service you just received.", [
         ("satisfaction", "I am satisfied with the service I received.", S5, "satisfaction", True),
         ("trust", "This interaction increased my trust in the municipality.", S5, "trust", True),
         ("effectiveness", "My need was addressed.", S5, "effectiveness", True),
         ("ease", "It was easy to complete what I needed to do.", S5, "ease", True),
         ("efficiency", "It took a reasonable amount of time.", S5, "efficiency", True),
         ("fairness", "I was treated fairly.", S5, "fairness", True),
         ("helpfulness", "Staff were helpful.", S5, "helpfulness", True),
     ]),
    ("recommend", "Would you recommend us?", "recommend", "", [
         ("recommend", "How likely are you to recommend our service to a friend or neighbour?",
          S11, "recommend", True),
         ("why", "What is the main reason for your score?", TXT, "other", False),
     ]),
    ("annual", "Annual client survey", "annual",
     "Once a year we ask our clients how we are doing. Your answers shape next year's plans.", [
         ("overall", "Overall, how satisfied are you with the municipality's services?", S5,
          "overall", True),
         ("timeliness", "We deliver when we say we will.", S5, "timeliness", True),
         ("courtesy", "Our staff treat you with courtesy.", S5, "civility", True),
         ("information", "You get the information you need from us.", S5, "ease", True),
         ("redress", "When things go wrong, we put them right.", S5, "effectiveness", True),
         ("recommend", "How likely are you to recommend us (0-10)?", S11, "recommend", True),
         ("improve", "What one thing should we improve first?", TXT, "start", False),
     ]),
]


def create(apps, schema_editor):
    Instrument = apps.get_model("engagement", "Instrument")
    Question = apps.get_model("engagement", "Question")
    for code, name, purpose, introduction, questions in INSTRUMENTS:
        if Instrument.objects.filter(code=code).exists():
            continue
        instrument = Instrument.objects.create(code=code, version=1, name=name, purpose=purpose,
                                               introduction=introduction, published=True)
        Question.objects.bulk_create(
            Question(instrument=instrument, order=n, code=q_code, text=text, type=kind,
                     driver=driver, required=required)
            for n, (q_code, text, kind, driver, required) in enumerate(questions, start=1)
        )


class Migration(migrations.Migration):
    dependencies = [("engagement", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
