from django.urls import path

from reviews.views import visit_recommendations

app_name = "reviews"

urlpatterns = [
    path(
        "visits/<int:pk>/recommendations/new/",
        visit_recommendations.visit_recommendation_create,
        name="visit_recommendation_create",
    ),
    path("recommendations/<int:pk>/edit/", visit_recommendations.visit_recommendation_edit, name="recommendation_edit"),
    path("visits/<int:pk>/respond/", visit_recommendations.visit_respond, name="visit_respond"),
]
