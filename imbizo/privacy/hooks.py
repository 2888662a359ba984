"""Signals of a citizen's data request, so apps above privacy that keep
personal data of their own (field visits) can join in without privacy
importing them (docs/adr/0016-how-apps-talk.md)."""

from django.dispatch import Signal

# Sent by citizen_export with `match` (a CitizenMatch) and `document` (the
# export being built): a receiver adds its own section to `document`.
citizen_exporting = Signal()

# Sent by citizen_erase, inside its transaction, with `match` and `staff`: a
# receiver removes what identifies the citizen from its own records.
citizen_erasing = Signal()

# Sent by retention_sweep with `cutoff` (a datetime): a receiver removes what
# identifies citizens from its own records made before it.
personal_data_expiring = Signal()
