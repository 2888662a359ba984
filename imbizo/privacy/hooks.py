"""Signals privacy sends, so the apps above it that hold personal data of
their own (field visits, outreach's alert subscriptions) take part in a
citizen's export, erasure and the retention sweep without privacy knowing
them (docs/adr/0016-how-apps-talk.md).

`citizen_exporting(match=..., document=...)`: sent while a citizen's data is
exported (privacy.services.citizen_export); receivers add their records to
`document` under a key of their own. `match` is a privacy.selectors.CitizenMatch.

`citizen_erasing(match=..., staff=...)`: sent inside the erasure transaction;
receivers delete or blank the records of `match` and return how many records
they changed.

`personal_data_expiring(cutoff=...)`: sent by the retention sweep inside its
transaction; receivers remove what identifies citizens from their records
made before `cutoff`, as cases are redacted.

`retention_sweeping(now=...)`: sent at the end of the retention sweep;
receivers remove what their own retention rules no longer allow (such as
unconfirmed alert sign-ups), in their own transaction, and return a dict
{what: count} for the sweep's result.
"""

from django.dispatch import Signal

citizen_exporting = Signal()
citizen_erasing = Signal()
personal_data_expiring = Signal()
retention_sweeping = Signal()
