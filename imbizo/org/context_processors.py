from django.utils.functional import SimpleLazyObject

from .authorisation import staff_of
from .permissions import staff_permissions as permissions_of
from .selectors import institution_get


def institution(request):
    return {"institution": institution_get()}


def staff_permissions(request):
    """`staff_can`: the signed-in staff member's permissions, for menus and buttons
    (`{% if "case.intake" in staff_can %}`); the views check them again."""
    # Lazy: public pages never touch the session or the staff record for this.
    return {"staff_can": SimpleLazyObject(
        lambda: permissions_of(staff_of(getattr(request, "user", None))))}
