"""Signals privacy sends, so the apps above it that hold personal data of
their own (outreach's alert subscriptions) take part in a citizen's export,
erasure and the retention sweep without privacy knowing them.

`citizen_exporting(match=..., document=...)`: sent while a citizen's data is
exported (privacy.services.citizen_export); receivers add their records to
`document` under a key of their own. `match` is a privacy.selectors.CitizenMatch.

`citizen_erasing(match=...)`: sent inside the erasure transaction; receivers
delete or blank the records of `match` and return how many records they
removed.

`retention_sweeping(now=...)`: sent by the retention sweep; receivers remove
what the retention rules no longer allow, in their own transaction, and
return a dict {what: count} for the sweep's result.
"""

from django.dispatch import Signal

citizen_exporting = Signal()
citizen_erasing = Signal()
retention_sweeping = Signal()
