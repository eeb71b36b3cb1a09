from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from qa_portal import second_factor


class PortalAdminSite(admin.AdminSite):
    """Django admin for administrators only; everyone signs in through the portal's own page."""

    site_header = f"{settings.SERVICE_NAME} administration"
    site_title = f"{settings.SERVICE_NAME} administration"
    index_title = "Users, roles and settings"
    site_url = "/"

    def has_permission(self, request):
        # Only once sign-in is complete: the second factor given, or the council's account used.
        return super().has_permission(request) and second_factor.is_complete(request)

    @login_not_required
    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            # Signed in but not an administrator: refuse rather than offer a second sign-in page.
            raise PermissionDenied("Only administrators can use the admin site.")
        return redirect_to_login(request.get_full_path(), reverse("login"))
