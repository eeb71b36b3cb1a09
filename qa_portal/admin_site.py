from functools import wraps

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from qa_portal import second_factor

REFUSED = "Only administrators can use the admin site."


class PortalAdminSite(admin.AdminSite):
    """Django admin for administrators only; everyone signs in through the portal's own page.

    Someone signed in who is not an administrator (a provider user, any other role) gets the portal's
    403 page at every admin address, never the admin's own sign-in page, which would invite them to
    sign in again as someone else. A signed-out visitor is sent to the portal's sign-in page."""

    site_header = f"{settings.SERVICE_NAME} administration"
    site_title = f"{settings.SERVICE_NAME} administration"
    index_title = "Users, roles and settings"
    site_url = "/"
    # No side menu of every model on each page: at 1366 pixels it left a list of users too narrow to show
    # its columns. The breadcrumbs and the index lead everywhere.
    enable_nav_sidebar = False

    def has_permission(self, request):
        # Only once sign-in is complete: the second factor given, or the council's account used.
        return super().has_permission(request) and second_factor.is_complete(request)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def refuse_or_sign_in(request, *args, **kwargs):
            if not self.has_permission(request):
                if request.user.is_authenticated:
                    raise PermissionDenied(REFUSED)
                return redirect_to_login(request.get_full_path(), reverse("login"))
            return inner(request, *args, **kwargs)

        return refuse_or_sign_in

    @login_not_required
    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            # Signed in but not an administrator: refuse rather than offer a second sign-in page.
            raise PermissionDenied(REFUSED)
        return redirect_to_login(request.get_full_path(), reverse("login"))

    def password_change(self, request, extra_context=None):
        # The portal's own page, with its guidance and checks (the admin's would draw it without a heading).
        return redirect("password_change")
