"""Your documents. Included from qa_portal/urls.py under documents/."""

from django.urls import path

from qa_portal.documents import views

urlpatterns = [
    path("", views.document_list, name="document_list"),
    path("<int:pk>/", views.document_detail, name="document_detail"),
    path("<int:pk>/progress/", views.document_progress, name="document_progress"),
    path("<int:pk>/download/", views.document_download, name="document_download"),
    path("<int:pk>/send-again/", views.document_send_again, name="document_send_again"),
]
