"""The staff navigation: one menu for every role, offering only what the role
may open.

Which links a member of staff sees is not a second table of roles: each
link's page is resolved to its view, and the view's own gate decides
(`org.authorisation.staff_may_open`, the check `permission_required` makes),
so the menu never offers a page that answers 403. The admin site has its
own gate (`org.authorisation.admin_allowed`), asked the same way.

The menu is built for the templates by the `staff_nav` context processor
and drawn by web/_staff_nav.html, included once in base.html.
"""

from dataclasses import dataclass, field
from functools import lru_cache

from django.urls import NoReverseMatch, resolve, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from imbizo.org.authorisation import (
    admin_allowed,
    second_factor_pending,
    staff_may_open,
    staff_of,
)


@dataclass(frozen=True)
class Link:
    """A menu entry: the first of `targets` (URL name, kwargs) the role may
    open; marked current on the pages named in `current` (view names, or
    prefixes ending in "*")."""

    key: str
    label: str
    section: str
    targets: tuple[tuple[str, tuple], ...]
    current: tuple[str, ...] = field(default=())


SECTIONS = {
    "home": "",
    "cases": _("Cases"),
    "figures": _("Figures"),
    "quality": "",
    "outreach": _("Outreach"),
    "oversight": _("Oversight"),
}

MENU: tuple[Link, ...] = (
    Link("home", _("Staff home"), "home", (("backoffice:home", ()),), ("backoffice:home",)),
    Link("queues", _("Queues"), "cases", (("backoffice:queue", (("view", "office"),)),),
         ("backoffice:queue", "backoffice:case_detail", "backoffice:citizen_journey")),
    Link("intake", _("Intake"), "cases", (("backoffice:intake", ()),),
         ("backoffice:intake", "backoffice:caller_lookup")),
    Link("key_clients", _("Key clients"), "cases", (("backoffice:key_clients", ()),),
         ("backoffice:key_client*",)),
    Link("ratings", _("Ratings"), "cases", (("backoffice:feedback", ()),), ("backoffice:feedback",)),
    # Where a field worker connects a phone to the offline field app (/field/).
    Link("field_app", _("Field app"), "cases", (("fieldapp:connect", ()),), ("fieldapp:*",)),
    # Leads send notices (and may sign callers up from there); agents sign callers up.
    Link("alerts", _("Ward alerts"), "cases",
         (("backoffice:alerts_notice", ()), ("backoffice:alerts_subscribe", ())),
         ("backoffice:alerts_*",)),
    Link("warroom", _("War room"), "figures", (("insights:warroom", ()),), ("insights:warroom",)),
    Link("needs", _("Needs"), "figures", (("insights:needs", ()),), ("insights:needs",)),
    # Staff may open every office's scorecard; the others the public one.
    Link("scorecards", _("Scorecards"), "figures",
         (("insights:scorecard_offices", ()), ("insights:scorecard", ())),
         ("insights:scorecard_offices", "insights:scorecard_office", "insights:scorecard")),
    Link("drivers", _("Drivers"), "figures", (("insights:drivers", ()),),
         ("insights:drivers",)),
    Link("client_scorecard", _("Client scorecard"), "figures",
         (("backoffice:client_scorecard", ()),),
         ("backoffice:client_scorecard", "backoffice:client_survey*")),
    Link("field", _("Field"), "figures", (("backoffice:field_home", ()),), ("backoffice:field_*",)),
    Link("interruptions", _("Interruptions"), "outreach",
         (("backoffice:interruptions", ()),), ("backoffice:interruption*",)),
    Link("quality", _("Quality"), "quality", (("backoffice:quality_home", ()),),
         ("backoffice:quality_*",)),
    Link("client_reviews", _("Client reviews"), "quality", (("backoffice:client_reviews", ()),),
         ("backoffice:client_review*", "backoffice:client_group", "backoffice:client_matrix",
          "backoffice:client_suggestion*")),
    Link("people", _("My development"), "quality", (("backoffice:people_home", ()),),
         ("backoffice:people_home", "backoffice:people_person", "backoffice:people_assess",
          "backoffice:people_team", "backoffice:people_framework")),
    Link("people_figures", _("Staff development"), "figures",
         (("backoffice:people_figures", ()),), ("backoffice:people_figures",)),
    Link("meetings", _("Meetings"), "outreach", (("backoffice:meetings", ()),),
         ("backoffice:meeting*",)),
    Link("commitments", _("Commitments"), "outreach", (("backoffice:commitments", ()),),
         ("backoffice:commitment*",)),
    Link("access_log", _("Access log"), "oversight",
         (("backoffice:access_log", ()),), ("backoffice:access_log",)),
    Link("privacy", _("Data requests"), "oversight",
         (("backoffice:privacy_request", ()),), ("backoffice:privacy_*",)),
    Link("triage_models", _("Triage model"), "oversight",
         (("backoffice:triage_models", ()),), ("backoffice:triage_models",)),
    Link("triage_in_use", _("Triage in use"), "oversight",
         (("backoffice:triage_in_use", ()),), ("backoffice:triage_in_use",)),
    Link("admin", _("Admin site"), "oversight", (("admin:index", ()),), ("admin:*",)),
)


@dataclass(frozen=True)
class MenuItem:
    key: str
    label: str
    section: str
    url: str
    current: bool


@lru_cache(maxsize=64)
def _target(name: str, kwargs: tuple) -> tuple[str, object] | None:
    """The path of URL `name` and the view that answers it (None: no such page)."""
    try:
        path = reverse(name, kwargs=dict(kwargs))
    except NoReverseMatch:
        return None
    return path, resolve(path).func


def _may_open(staff, user, name: str, view) -> bool:
    if name.startswith("admin:"):
        return admin_allowed(user)
    return staff_may_open(staff, view)


def _is_current(link: Link, here: str) -> bool:
    return any(here.startswith(name[:-1]) if name.endswith("*") else here == name
               for name in link.current)


def staff_menu(request) -> list[MenuItem]:
    """The menu for the member of staff signed in on `request`, in MENU's order
    (empty for anyone else, and before the second factor is confirmed)."""
    user = getattr(request, "user", None)
    staff = staff_of(user)
    if staff is None or second_factor_pending(request):
        return []
    match = getattr(request, "resolver_match", None)
    here = match.view_name if match else ""
    items = []
    for link in MENU:
        for name, kwargs in link.targets:
            target = _target(name, kwargs)
            if target is not None and _may_open(staff, user, name, target[1]):
                items.append(MenuItem(link.key, link.label, link.section, target[0],
                                      _is_current(link, here)))
                break
    return items


def menu_sections(items: list[MenuItem]) -> list[tuple[str, list[MenuItem]]]:
    """`items` grouped by section, in SECTIONS' order, empty sections left out."""
    return [(label, found) for key, label in SECTIONS.items()
            if (found := [item for item in items if item.section == key])]


def staff_nav(request) -> dict:
    """Context processor: `staff_nav`, the menu's sections (lazy: public pages
    seen by visitors never build it)."""
    return {"staff_nav": SimpleLazyObject(lambda: menu_sections(staff_menu(request)))}
