from django.contrib import admin
from django.urls import include, path

from qa_portal.views import auth, notifications, pages, session

urlpatterns = [
    path("sign-in/", auth.SignInView.as_view(), name="login"),
    path("sign-out/", auth.SignOutView.as_view(), name="logout"),
    path("password-reset/", auth.ResetRequestView.as_view(), name="password_reset"),
    path("password-reset/sent/", auth.ResetSentView.as_view(), name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", auth.ResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password-reset/complete/", auth.ResetCompleteView.as_view(), name="password_reset_complete"),
    path("account/password/", auth.ChangePasswordView.as_view(), name="password_change"),
    path("account/password/changed/", auth.ChangePasswordDoneView.as_view(), name="password_change_done"),
    path("accessibility/", pages.accessibility_statement, name="accessibility"),
    path("healthz", pages.healthz, name="healthz"),
    path("notifications/", notifications.notifications, name="notifications"),
    path("session/extend/", session.session_extend, name="session_extend"),
    path("documents/", include("qa_portal.documents.urls")),
    path("admin/", admin.site.urls),
    path("", include("providers.urls")),
    path("", include("visits.urls")),
    path("", include("reviews.urls")),
    path("", include("qa_portal.reporting.urls")),
]

handler400 = "qa_portal.views.errors.bad_request"
handler403 = "qa_portal.views.errors.forbidden"
handler404 = "qa_portal.views.errors.not_found"
handler500 = "qa_portal.views.errors.server_error"
