from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Review meetings and recommendations"

    def ready(self):
        from providers import inspection_changes, of_concern, panels, placement_changes
        from qa_portal.documents import kinds
        from reviews import (
            access,  # registers who may see recommendations
            responses,
            risk,
        )
        from reviews.models import ensure_cadence_thresholds, ensure_risk_rules
        from reviews.panels import provider_inadequate_responses, provider_reviews, provider_you_said
        from reviews.privacy import register_privacy
        from reviews.scheduling import placements_changed
        from reviews.selectors import providers_with_a_review_overdue
        from visits import planning, sharing

        panels.register(provider_reviews, order=20)
        panels.register(provider_you_said, order=25)
        # The response to an Inadequate judgement (issue 16): opened in the transaction that records the
        # judgement, by hand or by import; the visit planned to the provider next is its visit.
        panels.register(provider_inadequate_responses, order=15)
        inspection_changes.listen("reviews.responses", responses.inspections_recorded)
        planning.listen("reviews.responses", responses.visit_planned)
        # The check page before a visit report is shared shows the recommendations the provider will see.
        sharing.register_provider_recommendations(access.addressed_to_provider_once_shared)
        # A provider's review meeting follows its placements at once (reviews.scheduling).
        placement_changes.listen("reviews.scheduling", placements_changed)
        of_concern.register(
            "Review meeting overdue",
            providers_with_a_review_overdue,
            permission="reviews.view_reviewmeeting",
            order=60,
        )
        # The tracker's and the compliance overview's big downloads are made by the worker.
        kinds.register_later("reviews.documents.register_documents")
        # Their part of a young person's subject-access export, and what anonymising them clears here.
        register_privacy()
        # Each provider's risk rating follows its evidence (reviews.risk); the default rules are put in place.
        risk.connect()
        post_migrate.connect(ensure_risk_rules, sender=self, dispatch_uid="reviews.risk_rules")
        post_migrate.connect(ensure_cadence_thresholds, sender=self, dispatch_uid="reviews.cadence_thresholds")
