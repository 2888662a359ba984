"""The demo's sign-in names, one per role, printed by `imbizo run`.

Demo only: `imbizo demo` refuses to run on a database that is not empty
unless told to, and production deployments never run it.
"""

DEMO_PASSWORD = "imbizo-demo"  # noqa: S105 (documented demo credential)

DEMO_LOGINS: list[tuple[str, str, str]] = [
    ("admin", "administrator", DEMO_PASSWORD),
    ("manager", "manager", DEMO_PASSWORD),
    ("supervisor", "supervisor", DEMO_PASSWORD),
    ("officer", "officer", DEMO_PASSWORD),
    ("agent", "agent", DEMO_PASSWORD),
    ("analyst", "analyst", DEMO_PASSWORD),
    ("auditor", "auditor", DEMO_PASSWORD),
    # Made by demo/field_visits.py: an officer doing the door-to-door survey in the West.
    ("fieldworker", "officer", DEMO_PASSWORD),
]
