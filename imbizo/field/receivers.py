"""How the field app joins in on other apps' events (they do not import field)."""

from django.dispatch import receiver

from imbizo.privacy.hooks import citizen_erasing, citizen_exporting, personal_data_expiring

from . import services


@receiver(citizen_exporting)
def household_visits_export(*, match, document, **kwargs) -> None:
    """The household visits that gave the citizen's phone number, in their data export."""
    document["household_visits"] = services.visits_of_citizen(identifiers=match.identifiers)


@receiver(citizen_erasing)
def household_visits_erase(*, match, **kwargs) -> int:
    """Remove the citizen's number and free text from the visits that gave it;
    how many visits were changed."""
    return services.visits_erase(identifiers=match.identifiers)


@receiver(personal_data_expiring)
def household_visits_expire(*, cutoff, **kwargs) -> None:
    """Past the retention period, visits lose their numbers and free text like cases do."""
    services.visits_expire(before=cutoff)
