"""The expectation table: every URL of the project, who may open it, and how.

Each entry names a URL pattern (by its name, namespace included) and says
how to build its arguments from the seeded instance (tests/trust/conftest.py).
The authorisation matrix test requests every staff entry as every role and as
an anonymous visitor and checks allow/deny against `allow`; the public-page
scan requests every public GET entry and looks for the citizen's personal
data. A URL pattern that is not in this table fails the matrix test.

Adding a page? Add one line below, in the block of its area:

    staff("warroom:home", LEADS | {ANALYST}),
    staff("quality:visit", LEADS, kwargs=lambda s: {"pk": ...}, scoped=True),
    public("portal:scorecard"),
    api("api:case_list", ...),

`scoped=True` says the page shows one object of a department (a case, an
office); the test then also opens the *other* department's object and expects
"not found" (404) for the roles that see their own office or department only.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from imbizo.org.models import Role

AGENT, OFFICER, SUPERVISOR, MANAGER = Role.AGENT, Role.OFFICER, Role.SUPERVISOR, Role.MANAGER
ANALYST, AUDITOR, ADMINISTRATOR = Role.ANALYST, Role.AUDITOR, Role.ADMINISTRATOR

EVERYONE = frozenset(Role)
CASE_WORKERS = frozenset({OFFICER, SUPERVISOR, MANAGER, ADMINISTRATOR})
LEADS = frozenset({SUPERVISOR, MANAGER, ADMINISTRATOR})
CASE_READERS = CASE_WORKERS | {AGENT, AUDITOR}
CALL_TAKERS = CASE_WORKERS | {AGENT}
# Roles that see only their office's or department's objects.
SCOPED_ROLES = frozenset({OFFICER, SUPERVISOR, MANAGER})

PUBLIC, STAFF, ADMIN, API = "public", "staff", "admin", "api"


@dataclass(frozen=True)
class Entry:
    name: str
    area: str
    allow: frozenset = EVERYONE
    kwargs: Callable = field(default=lambda s: {})
    foreign_kwargs: Callable | None = None
    method: str = "GET"
    data: Callable = field(default=lambda s: {})
    query: str = ""
    ok: tuple[int, ...] = (200,)
    label: str = ""  # tells apart several entries of one URL name
    denied: str = "forbidden"  # what a role outside `allow` gets: "forbidden" or "not found"
    foreign_allow: frozenset | None = None  # who may open the other department's object,
    # when that is not "everyone allowed but the roles of one area"
    with_key: tuple[int, ...] | None = None  # API: the status with a read-scoped API key
    scan: bool = True  # API: look for personal data in the response

    @property
    def id(self) -> str:
        return f"{self.name}{'[' + self.label + ']' if self.label else ''}"


def public(name: str, **options) -> Entry:
    return Entry(name=name, area=PUBLIC, **options)


def staff(name: str, allow, *, scoped: bool = False, foreign=None, foreign_allow=None,
          **options) -> Entry:
    if scoped and foreign is None:
        raise ValueError(f"{name}: a scoped entry needs foreign= (the other department's kwargs)")
    return Entry(name=name, area=STAFF, allow=frozenset(allow), foreign_kwargs=foreign,
                 foreign_allow=frozenset(foreign_allow) if foreign_allow is not None else None,
                 **options)


def api(name: str, **options) -> Entry:
    return Entry(name=name, area=API, **options)


def _case(s):
    return {"reference": s.case.reference}


def _foreign_case(s):
    return {"reference": s.foreign_case.reference}


def _action(action: str, allow, data=None) -> Entry:
    return staff(
        "backoffice:case_action", allow, scoped=True, label=action, method="POST", ok=(302,),
        kwargs=lambda s: {"reference": s.case.reference, "action": action},
        foreign=lambda s: {"reference": s.foreign_case.reference, "action": action},
        data=data or (lambda s: {"note": "checked"}))


ENTRIES: list[Entry] = [
    # --- public ------------------------------------------------------------------------
    public("healthz"),
    # Ready only with a recent worker heartbeat (none in tests): 503 names the check.
    public("readyz", ok=(200, 503)),
    # Closed (404) unless METRICS_ALLOWED_IPS or METRICS_TOKEN is set; tests set neither.
    public("metrics", ok=(404,)),
    public("set_language", method="POST", data=lambda s: {"language": "en", "next": "/"},
           ok=(302,)),
    public("portal:home"),
    public("portal:service_list"),
    public("portal:service_list", query="?q=leak", label="search"),
    public("portal:service_detail", kwargs=lambda s: {"code": "water-leak"}),
    public("portal:report"),
    public("portal:report_questions", query="?service=water-leak"),
    public("portal:track_lookup"),
    public("portal:track_lookup", query="?reference=nonsense", label="bad reference"),
    public("portal:case_track", kwargs=_case),
    public("portal:case_track", kwargs=_case, query="?new=1", label="new"),
    # Refused (no reason, no reopen code): the page again, with why; nothing changes.
    public("portal:case_reopen", kwargs=_case, method="POST", data=lambda s: {"reason": ""},
           ok=(400,)),
    public("portal:wards_geojson"),
    public("portal:place_search", query="?q=church+st", label="search"),
    public("portal:place_search", label="no query"),
    public("portal:survey", kwargs=lambda s: {"token": s.survey_token}),
    public("backoffice:login"),
    public("backoffice:logout", method="POST", ok=(200, 302)),
    # --- staff: case work --------------------------------------------------------------
    staff("backoffice:home", EVERYONE),
    *[staff("backoffice:queue", CASE_READERS, kwargs=lambda s, v=view: {"view": v}, label=view)
      for view in ("mine", "office", "unacknowledged", "due_soon", "overdue", "escalated")],
    staff("backoffice:queue", CASE_READERS, kwargs=lambda s: {"view": "office"},
          query="?q=pipe&priority=urgent&due=week&escalation=1&sort=priority&per_page=25",
          label="filtered"),
    # Bulk assignment: leads only; nothing selected sends them back with a message.
    staff("backoffice:queue_assign", LEADS, method="POST", ok=(302,),
          data=lambda s: {"next": "/staff/"}),
    staff("backoffice:intake", CALL_TAKERS),
    staff("backoffice:intake_questions", CALL_TAKERS, query="?service=water-leak"),
    staff("backoffice:caller_lookup", CALL_TAKERS, query="?phone=0829990001"),
    staff("backoffice:case_detail", CASE_READERS, scoped=True, kwargs=_case,
          foreign=_foreign_case),
    staff("backoffice:citizen_journey", CASE_WORKERS, scoped=True, kwargs=_case,
          foreign=_foreign_case),
    staff("backoffice:case_photo", CASE_READERS, scoped=True,
          kwargs=lambda s: {"reference": s.case.reference, "photo_id": s.photo_id},
          foreign=lambda s: {"reference": s.foreign_case.reference,
                             "photo_id": s.foreign_photo_id}),
    *[_action(action, CASE_WORKERS) for action in (
        "acknowledge", "start", "wait", "resume", "resolve", "close", "reopen", "assign_self")],
    *[_action(action, CALL_TAKERS) for action in ("note", "update", "contact")],
    _action("public_text", CALL_TAKERS,
            data=lambda s: {"public-public_description": "A leak in the street"}),
    *[_action(action, LEADS) for action in ("assign", "merge")],
    # --- staff: ratings, counters ------------------------------------------------------
    staff("backoffice:feedback", EVERYONE - {AUDITOR}),
    staff("backoffice:counter_qr", LEADS, scoped=True,
          kwargs=lambda s: {"code": s.office.code, "fmt": "png"},
          foreign=lambda s: {"code": s.foreign_office.code, "fmt": "png"}),
    # --- staff: oversight and personal data ---------------------------------------------
    staff("backoffice:otp", EVERYONE),
    staff("backoffice:access_log", {AUDITOR, ADMINISTRATOR}),
    staff("backoffice:triage_models", {ADMINISTRATOR}),
    staff("backoffice:privacy_request", {ADMINISTRATOR}, query="?phone=0829990001"),
    staff("backoffice:privacy_export", {ADMINISTRATOR}, method="POST",
          data=lambda s: {"phone": "0829990001"}),
    # Erasing a number nobody has: the request is refused politely, nothing is lost.
    staff("backoffice:privacy_erase", {ADMINISTRATOR}, method="POST", ok=(302,),
          data=lambda s: {"phone": "0820000000", "note": "letter 1", "confirm": "on"}),
]


# --- the quality programme (imbizo/quality/access.py decides within its pages) -------------
Q_RUNNERS = LEADS
Q_VIEWERS = LEADS | {ANALYST, AUDITOR}


def _q(key):
    return lambda s: {"pk": s.quality[key]}


ENTRIES += [
    staff("backoffice:quality_home", EVERYONE),
    staff("backoffice:quality_cycles", Q_VIEWERS),
    # Refused by the form for anyone who does not look after the office: back to the list.
    staff("backoffice:quality_cycle_start", EVERYONE, method="POST", ok=(302,),
          data=lambda s: {"office": s.office.code}),
    staff("backoffice:quality_cycle", Q_VIEWERS, scoped=True, kwargs=_q("cycle"),
          foreign=_q("foreign_cycle"), denied="not found"),
    staff("backoffice:quality_cycle_step", Q_VIEWERS, scoped=True, method="POST", ok=(302,),
          kwargs=lambda s: {"pk": s.quality["cycle"], "step": "feedback"},
          foreign=lambda s: {"pk": s.quality["foreign_cycle"], "step": "feedback"},
          denied="not found"),
    staff("backoffice:quality_visit_citizen", EVERYONE),
    # A visit not yet submitted: its visitor and those who look after the office.
    staff("backoffice:quality_visit", {SUPERVISOR, MANAGER}, scoped=True, kwargs=_q("visit"),
          foreign=_q("foreign_visit"), foreign_allow={ADMINISTRATOR}, denied="not found"),
    staff("backoffice:quality_photo", {SUPERVISOR, MANAGER}, scoped=True, kwargs=_q("photo"),
          foreign=_q("foreign_photo"), foreign_allow={ADMINISTRATOR}, denied="not found"),
    staff("backoffice:quality_scorecard", Q_VIEWERS, scoped=True,
          kwargs=lambda s: {"code": s.office.code},
          foreign=lambda s: {"code": s.foreign_office.code}),
    staff("backoffice:quality_actions", EVERYONE),
    staff("backoffice:quality_action_new", Q_RUNNERS),
    staff("backoffice:quality_action_sources", Q_RUNNERS),
    staff("backoffice:quality_action", Q_VIEWERS, kwargs=_q("action"), denied="not found"),
    staff("backoffice:quality_action_close", Q_VIEWERS, method="POST", ok=(302,),
          kwargs=lambda s: {"pk": s.quality["action"], "how": "cancel"}, denied="not found"),
    staff("backoffice:quality_focus_groups", Q_VIEWERS),
    staff("backoffice:quality_focus_group", Q_VIEWERS, kwargs=_q("focus_group"),
          denied="not found"),
    staff("backoffice:quality_recognition", EVERYONE),
    staff("backoffice:quality_my_recognition", EVERYONE),
    staff("backoffice:quality_nomination", EVERYONE, method="POST", ok=(302,),
          kwargs=lambda s: {"pk": s.quality["nomination"], "how": "withdraw"},
          denied="not found"),
    staff("backoffice:quality_learning", EVERYONE),
    staff("backoffice:quality_story_new", Q_RUNNERS),
    staff("backoffice:quality_story", EVERYONE, kwargs=_q("story")),
    # Anyone may ask; the service refuses those who do not write stories, with a message.
    staff("backoffice:quality_story_publish", EVERYONE, method="POST", ok=(302,),
          kwargs=_q("story")),
]

# --- outreach meetings and commitments (issue 16) ------------------------------------------
MEETING_CLERKS = LEADS | {AGENT}


def _m(key):
    return lambda s: {"uid": s.meetings[key]}


def _c(key="commitment"):
    return lambda s: {"pk": s.meetings[key]}


ENTRIES += [
    staff("backoffice:meetings", MEETING_CLERKS),
    staff("backoffice:meeting_plan", MEETING_CLERKS),
    staff("backoffice:meeting", MEETING_CLERKS, kwargs=_m("planned")),
    staff("backoffice:meeting", MEETING_CLERKS, kwargs=_m("held"), label="held"),
    # The first role cancels it; the others are told it is no longer planned.
    staff("backoffice:meeting_cancel", MEETING_CLERKS, method="POST", ok=(302,),
          kwargs=_m("planned"), data=lambda s: {"reason": "Hall flooded"}),
    staff("backoffice:commitments", EVERYONE),
    staff("backoffice:commitment", EVERYONE, kwargs=_c()),
    staff("backoffice:commitment_photo", EVERYONE, kwargs=_c("update")),
    # The commitment is owned by the seeded department: its case workers may report.
    staff("backoffice:commitment_update", CASE_WORKERS, method="POST", ok=(302,),
          kwargs=_c(), data=lambda s: {"note": "Work has started."}),
    staff("backoffice:commitment_due", CASE_WORKERS, method="POST", ok=(302,),
          kwargs=_c(), data=lambda s: {"due_on": "2099-01-31", "note": "Pipes delayed."}),
    public("insights:meetings"),
    public("insights:meetings_ics"),
    public("insights:meeting", kwargs=_m("held")),
    public("insights:commitments"),
    public("insights:commitments", query="?status=late&export=commitments&format=csv",
           label="csv"),
    public("insights:ward_meetings_ics", kwargs=lambda s: {"code": "W001"}),
    public("insights:ward_commitments", kwargs=lambda s: {"code": "W001"}),
]

# --- insights: public accountability pages and staff dashboards ---------------------------
INSIGHT_READERS = LEADS | {ANALYST}

ENTRIES += [
    public("insights:needs"),
    public("insights:scorecard"),
    public("insights:scorecard_service", kwargs=lambda s: {"code": "water-leak"}),
    public("insights:ward_index"),
    public("insights:ward", kwargs=lambda s: {"code": "W001"}),
    public("portal:recognition"),
    public("portal:alerts"),
    public("portal:alerts", query="?ward=W001", label="ward chosen"),
    # A sign-up refused (no consent): the form again, with why; nothing stored.
    public("portal:alerts", method="POST", label="refused", ok=(400,),
           data=lambda s: {"channel": "sms", "address": "0821234567", "ward": "W001"}),
    public("portal:alerts_sent"),
    public("portal:alerts_confirm", kwargs=lambda s: {"token": "no-such-token"}, ok=(404,)),
    public("portal:alerts_unsubscribe", kwargs=lambda s: {"token": "no-such-token"}),
    staff("backoffice:alerts_notice", LEADS),
    staff("backoffice:alerts_subscribe", CALL_TAKERS),
    # An unknown sign-up: back to the form with why.
    staff("backoffice:alerts_subscribe_confirm", CALL_TAKERS, ok=(302,),
          kwargs=lambda s: {"token": "no-such-token"}),
    staff("insights:warroom", INSIGHT_READERS),
    staff("insights:scorecard_offices", INSIGHT_READERS),
    # Aggregates without personal data: every office, for every reader of insights.
    staff("insights:scorecard_office", INSIGHT_READERS,
          kwargs=lambda s: {"code": s.foreign_office.code}),
    staff("insights:drivers", INSIGHT_READERS),
]

# --- field supervision (imbizo.field; docs/field.md) ------------------------------------
ENTRIES += [
    staff("backoffice:field_home", LEADS),
    # An unknown ward: the form is shown again with the problem (400), nothing stored.
    staff("backoffice:field_assign", LEADS, method="POST", ok=(400,),
          data=lambda s: {"wards": "NO-SUCH-WARD", "target_households": "10"}),
    # Already removed: a message and back to the list.
    staff("backoffice:field_assignment_remove", LEADS, method="POST", ok=(302,),
          kwargs=lambda s: {"pk": 999_999}),
    # Already withdrawn (or no such phone): a message and back to the page.
    staff("backoffice:field_device_withdraw", LEADS, method="POST", ok=(302,),
          kwargs=lambda s: {"pk": 999_999}),
    staff("backoffice:field_conflicts", LEADS),
    staff("backoffice:field_conflict_resolve", LEADS, method="POST", ok=(302,),
          kwargs=lambda s: {"pk": 999_999}, data=lambda s: {"resolution": "keep_current"}),
    staff("backoffice:field_outside", LEADS),
    # No such record: a message and back to the list.
    staff("backoffice:field_record_place", LEADS, method="POST", ok=(302,),
          kwargs=lambda s: {"pk": 999_999}, data=lambda s: {"ward": "W001"}),
]

# --- the field app (imbizo.fieldapp; docs/field.md) -----------------------------------
ENTRIES += [
    # The app shell, its service worker and manifest: the same for everyone.
    public("fieldapp:app"),
    public("fieldapp:service_worker"),
    public("fieldapp:manifest"),
    staff("fieldapp:connect", CALL_TAKERS),
    # The phone's JSON API takes a device token, never the session: 401 without one.
    public("fieldapp:api_bootstrap", ok=(401,)),
    public("fieldapp:api_status", method="POST", ok=(401,)),
    public("fieldapp:api_records", method="POST", ok=(401,)),
    public("fieldapp:api_attachment", method="POST", ok=(401,),
           kwargs=lambda s: {"instance_id": "uuid:no-such-record", "name": "photo.jpg"}),
    # Connecting a phone takes the staff session: 401 without one.
    public("fieldapp:api_device", method="POST", ok=(401,)),
]

# --- APIs: `ok` is the status without credentials; `with_key` with a read key ---------------
ENTRIES += [
    api("open311:discovery", kwargs=lambda s: {"fmt": "json"}),
    api("open311:services", kwargs=lambda s: {"fmt": "json"}),
    api("open311:service", kwargs=lambda s: {"code": "water-leak", "fmt": "json"}),
    api("open311:requests", kwargs=lambda s: {"fmt": "json"}),
    api("open311:request", kwargs=lambda s: {"reference": s.case.reference, "fmt": "json"}),
    api("open311:token", kwargs=lambda s: {"token": "no-such-token", "fmt": "json"}, ok=(404,)),
    api("open311:updates", kwargs=lambda s: {"fmt": "json"}),
    api("open311:not_found", kwargs=lambda s: {"path": "nothing-here", "fmt": "json"},
        ok=(404,)),
    api("open311:requests", kwargs=lambda s: {"fmt": "json"}, method="POST", ok=(400, 403),
        label="post without a key", scan=False),
    # OpenRosa: every request must sign in as a field worker (tests/openrosa).
    api("openrosa:form_list", ok=(401,)),
    api("openrosa:form", kwargs=lambda s: {"code": "household-needs", "version": "1"},
        ok=(401,)),
    api("openrosa:manifest", kwargs=lambda s: {"code": "household-needs", "version": "1"},
        ok=(401,)),
    api("openrosa:submission", method="POST", ok=(401,), scan=False),
    api("api-v1:api-root", ok=(200, 404)),
    api("api-v1:openapi-json"),
    api("api-v1:openapi-view"),
    *[api(f"api-v1:{name}", kwargs=kwargs, ok=(401,), with_key=(200,)) for name, kwargs in (
        ("case_list", lambda s: {}),
        ("case_get", lambda s: {"reference": s.case.reference}),
        ("services", lambda s: {}),
        ("service", lambda s: {"code": "water-leak"}),
        ("standards", lambda s: {"code": "water-leak"}),
        ("wards", lambda s: {}),
        ("ward", lambda s: {"code": "W001"}),
        ("offices", lambda s: {}),
        ("contacts", lambda s: {}),
        ("responses", lambda s: {}),
        ("case_counts", lambda s: {}),
    )],
    api("api-v1:places", query="?q=church+st", ok=(401,), with_key=(200,)),
    # Writes: no key, 401; a read-only key, 403.
    *[api(f"api-v1:{name}", kwargs=kwargs, method="POST", ok=(401,), with_key=(403,),
          scan=False) for name, kwargs in (
        ("case_create", lambda s: {}),
        ("case_status", lambda s: {"reference": s.case.reference}),
        ("case_update", lambda s: {"reference": s.case.reference}),
    )],
]

# --- outreach: service interruptions ---------------------------------------------------------
def _interruption(s):
    return {"pk": s.interruption_id}


ENTRIES += [
    public("portal:interruptions"),
    public("portal:interruption", kwargs=_interruption),
    staff("backoffice:interruptions", EVERYONE),
    staff("backoffice:interruption_new", CASE_WORKERS),
    staff("backoffice:interruption", EVERYONE, kwargs=_interruption),
    staff("backoffice:interruption_update", CASE_WORKERS, method="POST", ok=(302,),
          kwargs=_interruption, data=lambda s: {"text": "Crews are on site."}),
    # Refused by the service (no such restoration), shown as a message: still a redirect.
    staff("backoffice:interruption_restore", CASE_WORKERS, method="POST", ok=(302,),
          kwargs=_interruption, data=lambda s: {"restored_at": "2000-01-01T00:00"}),
    staff("backoffice:interruption_cancel", CASE_WORKERS, method="POST", ok=(302,),
          kwargs=_interruption, data=lambda s: {"text": ""}),
    *[api(f"api-v1:{name}", kwargs=kwargs, ok=(401,), with_key=(200,)) for name, kwargs in (
        ("interruption_list", lambda s: {}),
        ("interruption_get", lambda s: {"interruption_id": s.interruption_id}),
    )],
    *[api(f"api-v1:{name}", kwargs=kwargs, method="POST", ok=(401,), with_key=(403,),
          scan=False) for name, kwargs in (
        ("interruption_create", lambda s: {}),
        ("interruption_update", lambda s: {"interruption_id": s.interruption_id}),
        ("interruption_restore", lambda s: {"interruption_id": s.interruption_id}),
    )],
]

# --- people: development records (ADR 0035) -------------------------------------------------
def _officer(s):
    return {"staff_id": s.staff[Role.OFFICER].pk}


# A person's record opens for the person and their manager only: here the
# officer's own, which no other role may open (nobody manages anyone in the seed).
ENTRIES += [
    staff("backoffice:people_home", EVERYONE),
    staff("backoffice:people_team", EVERYONE),
    staff("backoffice:people_export", EVERYONE),
    staff("backoffice:people_framework", EVERYONE),
    staff("backoffice:people_figures", LEADS | {ANALYST}),
    staff("backoffice:people_evidence", EVERYONE, ok=(302,),
          kwargs=lambda s: {"kind": "nomination", "object_id": 1}),
    *[staff(f"backoffice:people_{name}", {OFFICER}, kwargs=_officer, **options)
      for name, options in (
          ("person", {"ok": (302,)}),  # one's own record is the hub
          ("assess", {}),
          ("plan_start", {"method": "POST", "ok": (302,)}),
          ("plan_add", {"method": "POST", "ok": (302,)}),
          ("plan_agree", {"method": "POST", "ok": (302,)}),
          ("plan_close", {"method": "POST", "ok": (302,)}),
      )],
    staff("backoffice:people_plan_item", {OFFICER}, method="POST", ok=(302,),
          kwargs=lambda s: {**_officer(s), "item_id": 999999}),
]

# --- people: time log, feedback, learning from contacts (ADR 0036) ---------------------------
# Everyone has their own; another person's opens for their manager only
# (nobody manages anyone in the seed: only the officer opens the officer's).
_OFFICER_ID = lambda s: {"staff_id": s.staff[Role.OFFICER].pk}  # noqa: E731
ENTRIES += [
    *[staff(f"backoffice:{name}", EVERYONE) for name in (
        "people_log_week", "people_log_team", "people_feedback_home", "people_feedback_patterns",
        "people_reflect_home", "people_reflect_review")],
    *[staff(f"backoffice:{name}", {OFFICER}, kwargs=_OFFICER_ID) for name in (
        "people_log_person", "people_feedback_person", "people_feedback_patterns_person",
        "people_reflect_person")],
    staff("backoffice:people_log_save", EVERYONE, method="POST", ok=(302,),
          data=lambda s: {"week": "2020-01-06", "h_0_clients": "2"}),
    staff("backoffice:people_feedback_ask", EVERYONE, method="POST", ok=(400,),
          data=lambda s: {"relation": "colleague"}),
    # Only the person asked opens a request: nobody was asked anything in the seed.
    staff("backoffice:people_feedback_answer", frozenset(), denied="not found",
          kwargs=lambda s: {"pk": 999_999}),
    staff("backoffice:people_reflect_save", EVERYONE, method="POST", ok=(302,),
          data=lambda s: {"pick_name": "nothing"}),
    staff("backoffice:people_reflect_extra", EVERYONE, method="POST", ok=(302,),
          data=lambda s: {"done_on": "2020-01-06", "note": "Walked a client to the right desk"}),
]

# --- channels: gateways' callbacks, known by the secret in their path (tests/channels) ---------
ENTRIES += [
    api("channels:callback", kwargs=lambda s: {"kind": "sms", "gateway": "none",
                                               "secret": "wrong"},
        method="POST", ok=(401,), scan=False),
]

# Under /staff/ but open to anyone: how staff sign in and out.
SIGN_IN_PAGES = frozenset({"backoffice:login", "backoffice:logout"})

# URL names that may be absent from ENTRIES: the admin site is checked as a
# whole (every model's pages, test_the_admin_site_is_for_administrators_only).
ADMIN_PREFIX = "admin:"


# --- triage: suggestions and duplicates (issue 19) --------------------------------------------
_TYPED = {"description": "A burst pipe is flooding the street", "service": "water-leak"}
ENTRIES += [
    public("portal:report_similar", method="POST", data=lambda s: _TYPED),
    staff("backoffice:intake_triage", CALL_TAKERS, method="POST", data=lambda s: _TYPED),
    staff("backoffice:triage_in_use", {ADMINISTRATOR}),
    # With a read key, a body that is not JSON (the matrix posts a form): 400.
    api("api-v1:triage", method="POST", ok=(401,), with_key=(400,), scan=False),
]

# --- the client-service survey (issue 21; docs/client-survey.md) ------------------------------
_SURVEY_RUNNERS = {MANAGER, ADMINISTRATOR}


def _survey_rule(seed) -> dict:
    """A sampling rule that finds nobody: sending it is refused (a redirect with
    the reason), which is enough to tell who may ask."""
    from imbizo.clients.survey_models import SamplingRule

    rule, _made = SamplingRule.objects.get_or_create(name="Matrix rule")
    return {"pk": rule.pk}


def _survey_round(seed) -> dict:
    from imbizo.clients.survey_models import SurveyRound
    from imbizo.core import clock

    survey_round = SurveyRound.objects.filter(rule_id=_survey_rule(seed)["pk"]).first() or \
        SurveyRound.objects.create(rule_id=_survey_rule(seed)["pk"], started_at=clock.now(),
                                   third_party=True)
    return {"pk": survey_round.pk}


ENTRIES += [
    staff("backoffice:client_scorecard", LEADS | {ANALYST}),
    staff("backoffice:client_surveys", _SURVEY_RUNNERS),
    staff("backoffice:client_survey_send", _SURVEY_RUNNERS, method="POST", ok=(302,),
          kwargs=_survey_rule),
    staff("backoffice:client_survey_third_party", _SURVEY_RUNNERS, method="POST", ok=(302,),
          kwargs=_survey_rule),
    staff("backoffice:client_survey_round", _SURVEY_RUNNERS, kwargs=_survey_round),
    # An empty sample exports nothing: back to the round with the reason.
    staff("backoffice:client_survey_sample", _SURVEY_RUNNERS, ok=(302,), kwargs=_survey_round),
]

# --- client groups: quarterly reviews and the services x groups matrix (issue 21) ---------------
CLIENT_REVIEW_READERS = LEADS | {ANALYST, AUDITOR}


def _client_review(s, *, past: bool = True) -> int:
    """A client group and a review of the last quarter (made on first use)."""
    from imbizo.clients.group_models import Review, Suggestion
    from imbizo.clients.models import ClientGroup
    from imbizo.core import clock

    group, _ = ClientGroup.objects.get_or_create(code="trust-households",
                                                 defaults={"name": "Households"})
    today = clock.now().date()
    year, quarter = today.year, (today.month - 1) // 3 + 1
    if past:
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    review, created = Review.objects.get_or_create(
        group=group, year=year, quarter=quarter,
        defaults={"created_by": s.staff[SUPERVISOR], "created_at": clock.now()})
    if created:
        Suggestion.objects.create(review=review, text="Say when the water will be back",
                                  recorded_by=s.staff[SUPERVISOR], recorded_at=clock.now())
    return review.pk


def _today() -> str:
    from imbizo.quality.services import local_today

    return local_today().isoformat()


def _client_suggestion(s) -> int:
    from imbizo.clients.group_models import Suggestion

    return Suggestion.objects.filter(review_id=_client_review(s)).values_list("pk", flat=True)[0]


ENTRIES += [
    public("portal:client_matrix"),
    staff("backoffice:client_reviews", CLIENT_REVIEW_READERS),
    staff("backoffice:client_matrix", CLIENT_REVIEW_READERS),
    staff("backoffice:client_group", CLIENT_REVIEW_READERS,
          kwargs=lambda s: {"code": "trust-households"} if _client_review(s) else {}),
    staff("backoffice:client_review", CLIENT_REVIEW_READERS,
          kwargs=lambda s: {"pk": _client_review(s)}),
    # The first lead opens it; the others are told it exists (both redirect).
    staff("backoffice:client_review_open", LEADS, method="POST", ok=(302,),
          kwargs=lambda s: {"code": "trust-households"} if _client_review(s) else {},
          data=lambda s: {"year": "2020", "quarter": "1"}),
    staff("backoffice:client_suggestion_add", LEADS, method="POST", ok=(302,),
          kwargs=lambda s: {"pk": _client_review(s)},
          data=lambda s: {"text": "Answer the phone after hours"}),
    staff("backoffice:client_suggestions_choose", LEADS, method="POST", ok=(302,),
          kwargs=lambda s: {"pk": _client_review(s)}, data=lambda s: {"chosen": []}),
    # The first lead holds it; the others are told it is held (the form re-shown).
    staff("backoffice:client_review_hold", LEADS, method="POST", ok=(302, 200),
          kwargs=lambda s: {"pk": _client_review(s)},
          data=lambda s: {"held_on": _today()}),
    # No owner: the form comes back with the error named.
    staff("backoffice:client_suggestion_action", LEADS, method="POST", ok=(200,),
          kwargs=lambda s: {"pk": _client_suggestion(s)}, data=lambda s: {}),
]

# --- key clients (issue 21): their pages, visits, signals, retention ------------------------
KEY_CLIENT_READERS = CASE_WORKERS | {ANALYST}


def _key_client(s):
    """One key client, managed by the seed's officer, made on first use."""
    from imbizo.clients.models import ClientGroup, KeyClient
    from imbizo.core import clock

    group, _new = ClientGroup.objects.get_or_create(code="businesses",
                                                     defaults={"name": "Businesses"})
    client, _new = KeyClient.objects.get_or_create(
        name="Trust Test Traders", defaults={"kind": "business", "group": group,
                                             "account_manager": s.staff[OFFICER],
                                             "created_at": clock.now()})
    return {"pk": client.pk}


def _signal(s) -> int:
    from imbizo.clients.key_models import Signal
    from imbizo.core import clock

    signal, _new = Signal.objects.get_or_create(key_client_id=_key_client(s)["pk"],
                                                kind="complaint", defaults={"at": clock.now()})
    return signal.pk


ENTRIES += [
    staff("backoffice:key_clients", KEY_CLIENT_READERS),
    staff("backoffice:key_client_retention", KEY_CLIENT_READERS),
    staff("backoffice:key_client", KEY_CLIENT_READERS, kwargs=_key_client),
    # An empty visit is refused with the form (422) for whoever may open the page.
    staff("backoffice:key_client_visit", KEY_CLIENT_READERS, method="POST", ok=(422,),
          kwargs=_key_client),
    # An empty corrective action likewise.
    staff("backoffice:key_client_signal", KEY_CLIENT_READERS, method="POST", ok=(422,),
          kwargs=lambda s: {"pk": _signal(s)}),
]
