# The first published framework (version 1) and the activity library, in
# Imbizo's own words. Later changes are made in the admin, as a new version.
from django.db import migrations
from django.utils import timezone

SERVICE = "service-orientation"
WORKING = "working-with-others"

COMPETENCIES = [
    {
        "code": SERVICE,
        "name": "Service orientation",
        "description": (
            "Wanting to find out who your clients are and to serve them well: residents, "
            "colleagues in other offices, partner organisations and other spheres of "
            "government. You put your effort into learning what each client needs and "
            "then making sure they get it."),
        "meanings": [
            ("Asking the client questions until you understand what they need and what "
             "worries them.",
             "Saying as little as you can so you can get to the next thing."),
            ("Thinking through what would serve the client and the municipality best, "
             "then doing that.",
             "Doing whatever is quickest or easiest for you."),
            ("Seeing why different clients want different things, and why that can clash "
             "with what the municipality must do.",
             "Avoiding people whose needs or views pull in different directions."),
            ("Making an effort to understand where a client comes from and finding what "
             "you have in common.",
             "Getting in touch with a client only when you need something from them."),
            ("Building relationships with clients that last beyond one case.",
             "Treating each contact as a one-off, without thinking about what comes after."),
            ("Knowing when a client's problem needs a lasting answer, not only a quick fix.",
             "Dealing with today's complaint in a way that brings the same complaint back "
             "next month."),
        ],
        "levels": [
            ("Responds when asked",
             "Answers clients' questions and requests politely and follows them up.",
             ["Answers calls, messages and visitors promptly and politely.",
              "Tells the client what will happen next and when.",
              "Passes on a case that is not theirs to the right person, with the details."]),
            ("Keeps the client informed",
             "Takes ownership of a client's request until it is settled.",
             ["Lets the client know at once when a problem will affect them.",
              "Calls back when they said they would, even with no news.",
              "Repeats back what the client asked to check it was understood."]),
            ("Goes a step further",
             "Does something extra when a client has a difficult problem.",
             ["Takes extra time to explain a procedure or a decision to a client.",
              "Takes a client's problem on when it goes beyond the usual job.",
              "Notices how clients react and changes their approach because of it."]),
            ("Understands the client's real needs",
             "Looks past the request to what the client actually needs, and checks it.",
             ["Asks what the client is trying to achieve, not only what they ask for.",
              "Keeps a list of their clients and what each expects, and checks it with them.",
              "Looks at a contact from the client's side before deciding what to do."]),
            ("Builds lasting relationships",
             "Takes a long view of clients and works with colleagues to serve them better.",
             ["Meets important clients to understand their situation before a problem comes up.",
              "Brings colleagues together to ask what clients expect and what gets in the way.",
              "Uses what clients say to change how the team works."]),
            ("Shapes the service around clients",
             "Sets the direction for a unit's service from what clients need now and later.",
             ["Measures the unit against the standards clients judge it by.",
              "Looks at a service problem from the client's, management's and other "
              "departments' points of view before acting.",
              "Publicly recognises people who go beyond what clients expect.",
              "Wins the support of others across the institution for changes that serve "
              "clients better."]),
        ],
    },
    {
        "code": WORKING,
        "name": "Working with others",
        "description": (
            "Working well with colleagues, other offices and partners so that clients are "
            "served as one institution, not passed from desk to desk."),
        "meanings": [
            ("Learning from colleagues who handle clients well and trying what they do.",
             "Keeping to your own way of working whatever the results."),
            ("Taking feedback as information to act on.",
             "Defending yourself whenever someone comments on your work."),
        ],
        "levels": [
            ("Cooperates",
             "Shares information and helps colleagues when asked.",
             ["Hands over a case with everything the next person needs.",
              "Answers colleagues' requests as they would a resident's."]),
            ("Asks and offers",
             "Asks for feedback and offers help without being asked.",
             ["Asks the manager and colleagues for specific feedback on their service.",
              "Offers to help a colleague with a difficult client."]),
            ("Learns from others",
             "Finds out how the best colleagues work and adopts what works.",
             ["Talks to colleagues who were recognised for service about how they work.",
              "Shares a good and a difficult contact with the team to learn from both."]),
            ("Builds the team's practice",
             "Helps the team agree how to serve clients and holds to it.",
             ["Runs a discussion with colleagues on what clients expect and what gets "
              "in the way.",
              "Recognises colleagues' good service in front of the team."]),
        ],
    },
]

# (code, competency, level it suits, days, title, what to do)
ACTIVITIES = [
    ("something-extra", SERVICE, 1, 14, "Do something extra for a client",
     "Choose a client with a difficult problem and do one thing more than the job asks: "
     "take the time to explain why a procedure works the way it does, or follow their "
     "case through to the end yourself. Note what you did and how the client responded."),
    ("service-time-log", SERVICE, 1, 14, "Keep a week's service time log",
     "For one week, note each day how much of your time goes to serving clients, and how "
     "much to administration and other work. At the end of the week work out the share "
     "spent serving clients, set a goal to raise it, and check it against the goal the "
     "week after."),
    ("review-own-calls", SERVICE, 2, 14, "Review your own calls",
     "Listen to a few recordings of your own calls. Is your tone right? What worked and "
     "what did not? Write it down and talk it over with a colleague."),
    ("ask-manager-feedback", WORKING, 2, 21, "Ask your manager for feedback",
     "Ask your manager for specific feedback on how you serve clients: what you did, not "
     "what kind of person you are. Listen without defending yourself, look for patterns, "
     "and change one thing they named."),
    ("learn-from-recognised", WORKING, 3, 21, "Learn from someone recognised for service",
     "Find a colleague who was recognised for excellent service. Ask them how they think "
     "about a client's needs and why they did what they did. Try their ways yourself, and "
     "see what several such colleagues have in common."),
    ("join-difficult-case", SERVICE, 3, 30, "Work on a difficult case with your manager",
     "Ask your manager to let you help on a difficult client problem they are dealing with. "
     "Prepare by reading up on the issue, suggest what would be best from the client's side, "
     "and note what your manager does and why."),
    ("track-client-reactions", SERVICE, 2, 21, "Track how clients react",
     "When a client brings a request or a complaint, listen, repeat back what you heard, "
     "say what you will do and when you will be back in touch. Note how the client reacted, "
     "to learn which of your responses work best. Ask a few clients what you should start, "
     "stop and keep doing."),
    ("good-and-difficult-contact", SERVICE, 2, 7, "Look back on one good and one difficult contact",
     "Pick one contact from your past week that went well and one that was difficult. "
     "Talk them over with your manager, note their advice, and try it the next time a "
     "similar contact comes up."),
    ("client-point-of-view", SERVICE, 4, 14, "See a contact from the client's side",
     "After a contact, imagine what the client felt and thought. How did what you did "
     "affect them? Write down what you would do differently, and look for evidence "
     "(a rating, a follow-up) of whether you were right."),
    ("team-client-discussion", WORKING, 4, 30, "Run a discussion with colleagues about clients",
     "Bring colleagues together to answer: who are our main clients, what do they expect, "
     "how well do we meet it, what would they complain about most, and what gets in the "
     "way. Turn the answers into an action plan."),
    ("list-of-clients", SERVICE, 4, 30, "Make a list of your clients and what they expect",
     "List everyone who relies on your work, inside and outside the municipality, and what "
     "each expects from you. Check the list with some of them and with your manager, and "
     "update it every quarter."),
    ("measure-against-expectations", SERVICE, 6, 60,
     "Measure your unit against what clients expect",
     "With your team, find the standards clients judge you by (time, cost, being "
     "consulted), choose measures for them, rate the unit over a few months and share the "
     "clients' best suggestions with the team."),
    ("recognise-others", SERVICE, 5, 30, "Recognise people who exceed expectations",
     "Publicly recognise a person or a team who clearly went beyond what clients expected, "
     "using the real example: in a meeting, a talk or a nomination."),
    ("problem-from-all-sides", SERVICE, 6, 30, "Look at a service problem from every side",
     "Describe a service problem in a few sentences, then as management, other departments "
     "and the client would see it. Present what you found and take the first steps that are "
     "in your own hands."),
    ("win-support-for-change", SERVICE, 6, 60, "Win support for a change that serves clients",
     "Name the people whose support you need for an idea that would serve clients better, "
     "find out what each thinks, plan how to win their support, and adjust the plan as you go."),
]


def seed(apps, schema_editor):
    FrameworkVersion = apps.get_model("people", "FrameworkVersion")
    Competency = apps.get_model("people", "Competency")
    Level = apps.get_model("people", "Level")
    Indicator = apps.get_model("people", "Indicator")
    Meaning = apps.get_model("people", "Meaning")
    Activity = apps.get_model("people", "Activity")
    if FrameworkVersion.objects.exists():
        return
    version = FrameworkVersion.objects.create(
        number=1, note="The first framework: service orientation and working with others.",
        published_at=timezone.now())
    for order, data in enumerate(COMPETENCIES):
        competency = Competency.objects.create(
            version=version, code=data["code"], name=data["name"],
            description=data["description"], order=order)
        Meaning.objects.bulk_create(
            Meaning(competency=competency, means=means, does_not_mean=not_, order=i)
            for i, (means, not_) in enumerate(data["meanings"]))
        for rank, (name, summary, indicators) in enumerate(data["levels"], start=1):
            level = Level.objects.create(competency=competency, rank=rank, name=name,
                                         summary=summary)
            Indicator.objects.bulk_create(Indicator(level=level, text=text, order=i)
                                          for i, text in enumerate(indicators))
    Activity.objects.bulk_create(
        Activity(code=code, competency_code=competency, level=level, suggested_days=days,
                 title=title, description=text, order=i)
        for i, (code, competency, level, days, title, text) in enumerate(ACTIVITIES))


def unseed(apps, schema_editor):
    apps.get_model("people", "Activity").objects.all().delete()
    FrameworkVersion = apps.get_model("people", "FrameworkVersion")
    FrameworkVersion.objects.filter(number=1, assessments__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0002_framework")]
    operations = [migrations.RunPython(seed, unseed)]
