"""The one gate in front of every staff page and the admin site.

A view declares the permission it needs (`@permission_required(Permission.X)`
or `PermissionRequiredMixin`); the gate signs anonymous visitors in, asks for
the second factor where it is required, refuses a role without the permission
(403) and hands the view `request.staff`. Which objects the staff member may
then touch is checked by the selectors: a case outside their scope is "not
found" (404), so references of other departments cannot be probed.
"""

from functools import wraps

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import resolve_url
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django_otp import user_has_device

from imbizo.core.ratelimit import failures_limited

from .models import Role, Staff
from .permissions import Permission, staff_allows


def staff_of(user) -> Staff | None:
    """The active Staff record of a signed-in user, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        staff = user.staff
    except Staff.DoesNotExist:
        return None
    return staff if staff.active else None


def second_factor_required(user) -> bool:
    """Whether `user` must confirm a one-time code after their password.

    Required for the roles in OTP_REQUIRED_ROLES (and for superusers without a
    staff record when administrators are among them), and for anyone who has
    enrolled a device of their own accord.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    roles = set(getattr(settings, "OTP_REQUIRED_ROLES", ()))
    staff = staff_of(user)
    role = staff.role if staff else (Role.ADMINISTRATOR if user.is_superuser else None)
    if role in roles:
        return True
    return user_has_device(user, confirmed=True)


# Whether the signed-in user has a confirmed device, noted in the session at
# sign-in so that pages do not ask the database each time.
HAS_DEVICE_SESSION_KEY = "imbizo_has_otp_device"


def remember_devices(sender, request, user, **kwargs) -> None:
    """On sign-in: note in the session whether `user` enrolled a device."""
    if request is not None and hasattr(request, "session"):
        request.session[HAS_DEVICE_SESSION_KEY] = user_has_device(user, confirmed=True)


def second_factor_pending(request) -> bool:
    """Whether the signed-in user still has to confirm a one-time code."""
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return False
    if hasattr(user, "is_verified") and user.is_verified():
        return False
    staff = staff_of(user)
    role = staff.role if staff else (Role.ADMINISTRATOR if user.is_superuser else None)
    if role in set(getattr(settings, "OTP_REQUIRED_ROLES", ())):
        return True
    has_device = getattr(request, "session", {}).get(HAS_DEVICE_SESSION_KEY)
    if has_device is None:  # a session from before this was noted
        return second_factor_required(user)
    return bool(has_device)


def _second_factor_redirect(request):
    return redirect_to_login(request.get_full_path(), resolve_url("backoffice:otp"))


def staff_gate(request, permission: Permission | str):
    """None when `request` may go on to a view needing `permission`, else a response.

    Sets `request.staff`. Raises PermissionDenied for a role without it.
    """
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), resolve_url(settings.LOGIN_URL))
    staff = staff_of(request.user)
    if staff is None:
        raise PermissionDenied(_("This page is for staff."))
    if second_factor_pending(request):
        return _second_factor_redirect(request)
    if not staff_allows(staff, permission):
        raise PermissionDenied(_("Your role does not give access to this page."))
    request.staff = staff
    return None


def permission_required(permission: Permission | str):
    """View decorator: the view needs `permission` (see imbizo.org.permissions)."""
    permission = Permission(permission)

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            refused = staff_gate(request, permission)
            return refused if refused is not None else view(request, *args, **kwargs)

        wrapped.permission = permission
        return wrapped

    return decorate


def view_permission(view) -> Permission | None:
    """The permission `view` (a function, or a class-based view's `as_view()`)
    declares at the gate, or None for a page without the gate (a public page)."""
    declared = getattr(view, "permission", None)
    if declared is None:
        declared = getattr(getattr(view, "view_class", None), "permission", None)
    return Permission(declared) if declared is not None else None


def staff_may_open(staff: Staff | None, view) -> bool:
    """Whether `staff` passes the gate of `view` by role: the check
    `permission_required` makes, for menus that must never offer a page that
    answers 403. (Which objects the page then shows is the selectors' affair.)"""
    permission = view_permission(view)
    return permission is None or staff_allows(staff, permission)


class PermissionRequiredMixin:
    """For class-based views: set `permission`; the gate runs before dispatch."""

    permission: Permission | str

    def dispatch(self, request, *args, **kwargs):
        refused = staff_gate(request, self.permission)
        return refused if refused is not None else super().dispatch(request, *args, **kwargs)


def admin_allowed(user) -> bool:
    """The admin site is for administrators (and a superuser without a staff
    record, the operator's first account from `imbizo createsuperuser`)."""
    if not (user.is_active and user.is_staff):
        return False
    staff = staff_of(user)
    if staff is None:
        return user.is_superuser and not Staff.objects.filter(user=user).exists()
    return staff_allows(staff, Permission.ADMIN_SITE)


class ImbizoAdminSite(admin.AdminSite):
    """Django's admin behind the same gate: role and second factor."""

    site_header = "Imbizo administration"
    site_title = "Imbizo"

    def has_permission(self, request):
        return admin_allowed(request.user) and not second_factor_pending(request)

    # Failed sign-ins are limited per address, as on the staff sign-in (ADR 0008).
    @method_decorator(failures_limited("login"))
    def login(self, request, extra_context=None):
        if (request.method == "GET" and request.user.is_authenticated
                and admin_allowed(request.user) and second_factor_pending(request)):
            return _second_factor_redirect(request)
        return super().login(request, extra_context)
