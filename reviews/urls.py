from django.urls import path

from reviews.views import (
    action_plans,
    booking,
    meeting_case_record_notes,
    meetings,
    overview,
    provider_recommendations,
    recommendations,
    removal,
    responses,
    tracker,
    tracker_meeting,
    visit_recommendations,
    you_said,
)

app_name = "reviews"

urlpatterns = [
    # Recommendations raised in a visit, and the provider's response to a report.
    path(
        "visits/<int:pk>/recommendations/new/",
        visit_recommendations.visit_recommendation_create,
        name="visit_recommendation_create",
    ),
    path("recommendations/<int:pk>/edit/", visit_recommendations.visit_recommendation_edit, name="recommendation_edit"),
    path("visits/<int:pk>/respond/", visit_recommendations.visit_respond, name="visit_respond"),
    # "You said, we did": what young people asked for on a visit, and what was done about it.
    path("visits/<int:pk>/you-said/new/", you_said.you_said_add, name="you_said_add"),
    path("you-said/<int:pk>/", you_said.you_said_edit, name="you_said_edit"),
    path("you-said/<int:pk>/remove/", you_said.you_said_remove, name="you_said_remove"),
    path("you-said-we-did/", you_said.you_said_list, name="you_said_list"),
    path("providers/<int:pk>/you-said-we-did/", you_said.provider_you_said, name="provider_you_said"),
    path(
        "visits/<int:pk>/letters/<int:person_pk>.pdf",
        you_said.you_said_letter,
        name="you_said_letter",
    ),
    # The Recommendation and Impact Tracker.
    path("tracker/", tracker.tracker, name="tracker"),
    path("tracker/export.<str:fmt>", tracker.tracker_export, name="tracker_export"),
    path("tracker/meeting/", tracker_meeting.meeting_mode, name="tracker_meeting"),
    path("recommendations/<int:pk>/", recommendations.recommendation_detail, name="recommendation_detail"),
    path("recommendations/<int:pk>/progress/", recommendations.recommendation_progress, name="recommendation_progress"),
    path("recommendations/<int:pk>/complete/", recommendations.recommendation_complete, name="recommendation_complete"),
    path(
        "recommendations/<int:pk>/not-accepted/",
        recommendations.recommendation_not_accepted,
        name="recommendation_not_accepted",
    ),
    path("recommendations/<int:pk>/share/", recommendations.recommendation_share, name="recommendation_share"),
    path("recommendations/new/", recommendations.recommendation_create, name="recommendation_create"),
    path("recommendations/<int:pk>/remove/", removal.recommendation_remove, name="recommendation_remove"),
    path(
        "recommendations/<int:pk>/progress/<int:update_pk>/remove/",
        removal.progress_remove,
        name="progress_remove",
    ),
    path("my-actions/", recommendations.my_actions, name="my_actions"),
    path("our-recommendations/", provider_recommendations.provider_recommendations, name="provider_recommendations"),
    path(
        "our-recommendations/<int:pk>/",
        provider_recommendations.provider_recommendation_update,
        name="provider_recommendation_update",
    ),
    # Providers' action plans.
    path("action-plans/", action_plans.action_plan_list, name="action_plan_list"),
    path("our-action-plans/", action_plans.provider_action_plans, name="provider_action_plans"),
    path("providers/<int:pk>/action-plans/new/", action_plans.action_plan_request, name="action_plan_request"),
    path("action-plans/<int:pk>/", action_plans.action_plan_detail, name="action_plan_detail"),
    path("action-plans/<int:pk>/actions/new/", action_plans.plan_action_add, name="plan_action_add"),
    path("action-plans/<int:pk>/actions/<int:action_pk>/", action_plans.plan_action_edit, name="plan_action_edit"),
    path(
        "action-plans/<int:pk>/actions/<int:action_pk>/remove/",
        action_plans.plan_action_remove,
        name="plan_action_remove",
    ),
    path("action-plans/<int:pk>/submit/", action_plans.action_plan_submit, name="action_plan_submit"),
    path("action-plans/<int:pk>/return/", action_plans.action_plan_return, name="action_plan_return"),
    path("action-plans/<int:pk>/accept/", action_plans.action_plan_accept, name="action_plan_accept"),
    path("action-plans/<int:pk>/re-check/", action_plans.action_plan_recheck, name="action_plan_recheck"),
    # The response to an Inadequate judgement.
    path("inadequate-responses/", responses.inadequate_response_list, name="inadequate_response_list"),
    path("inadequate-responses/<int:pk>/", responses.inadequate_response, name="inadequate_response"),
    path(
        "inadequate-responses/<int:pk>/decisions/<int:decision_pk>/",
        responses.safe_to_remain,
        name="safe_to_remain",
    ),
    # Commissioning review meetings.
    path("reviews/", meetings.meeting_list, name="meeting_list"),
    path("reviews/new/", meetings.meeting_schedule, name="meeting_schedule"),
    path("reviews/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("reviews/<int:pk>/book/", booking.meeting_book, name="meeting_book"),
    path("reviews/<int:pk>/cancel/", booking.meeting_cancel, name="meeting_cancel"),
    path("reviews/<int:pk>/prepare/", meetings.meeting_prepare, name="meeting_prepare"),
    path("reviews/<int:pk>/agenda.pdf", meetings.meeting_agenda_pdf, name="meeting_agenda_pdf"),
    path("reviews/<int:pk>/record/", meetings.meeting_record, name="meeting_record"),
    path(
        "reviews/<int:pk>/recommendations/new/",
        meetings.meeting_recommendation_create,
        name="meeting_recommendation_create",
    ),
    path("reviews/<int:pk>/history/", meetings.meeting_history, name="meeting_history"),
    # One note per young person whose outcome goes on their case record (issue 17: reviews.case_record_notes).
    path(
        "reviews/<int:pk>/case-record-notes/",
        meeting_case_record_notes.meeting_case_record_notes,
        name="meeting_case_record_notes",
    ),
    path(
        "reviews/<int:pk>/case-record-notes/<int:young_person_pk>/note.txt",
        meeting_case_record_notes.meeting_case_record_note_download,
        name="meeting_case_record_note_download",
    ),
    path(
        "reviews/<int:pk>/case-record-notes/<int:young_person_pk>/recorded/",
        meeting_case_record_notes.meeting_case_record_note_recorded,
        name="meeting_case_record_note_recorded",
    ),
    # The compliance overview for commissioning.
    path("compliance/", overview.compliance_overview, name="compliance_overview"),
    path("compliance/export.<str:fmt>", overview.compliance_export, name="compliance_export"),
]
