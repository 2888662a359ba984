"""The columns of a case file: what `imbizo import-cases` reads and
`imbizo export-cases` writes (docs/import-export.md), in the order they are written.

An export re-imports: its columns are these, plus the computed due instants,
which an import recognises and ignores (it works them out again from the
standard in force when each case opened).
"""

# Required in the header of every import, and filled in every row.
REQUIRED = ("service_code", "channel", "status", "description", "opened_at")

COLUMNS = (
    "reference",
    "service_code",
    "kind",
    "channel",
    "status",
    "priority",
    "client_type",
    "description",
    "attributes",
    "principles",
    "address",
    "lat",
    "lon",
    "ward_code",
    "office_code",
    "citizen_name",
    "citizen_phone",
    "citizen_email",
    "contact_consent",
    "anonymous",
    "opened_at",
    "acknowledged_at",
    "assigned_at",
    "started_at",
    "waiting_since",
    "resolved_at",
    "closed_at",
    "reopened_at",
    "outcome",
    "outcome_reason",
    "referred_to",
    "root_cause",
    "redress",
)

# Written by an export, ignored by an import.
COMPUTED = ("ack_due_at", "resolve_due_at")

# Left empty in an export without personal data (lat and lon are rounded instead).
PERSONAL = ("citizen_name", "citizen_phone", "citizen_email", "address")

TIMESTAMPS = ("opened_at", "acknowledged_at", "assigned_at", "started_at", "waiting_since",
              "resolved_at", "closed_at", "reopened_at")
