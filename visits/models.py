"""Quality-assurance visits and the versioned template they are written up on.

A visit keeps the template version it was started on, so a published report never
changes when the template does."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from providers.models import Provider, Setting, YoungPerson
from qa_portal import tags
from qa_portal.inputs import limits
from qa_portal.inputs.limits import LimitedTextField
from qa_portal.periods import FinancialYear


class TemplateStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


# A draft is being edited; the published version is the one new visits use; retired ones are kept for
# the visits written on them.
tags.register(
    "template_status",
    TemplateStatus,
    colours={TemplateStatus.DRAFT: "yellow", TemplateStatus.PUBLISHED: "green", TemplateStatus.RETIRED: "grey"},
)


class VisitTemplate(models.Model):
    version = models.PositiveIntegerField(unique=True)
    status = models.CharField(max_length=20, choices=TemplateStatus, default=TemplateStatus.DRAFT)
    notes = LimitedTextField("what changed in this version", blank=True, max_length=limits.REASON)
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-version"]
        constraints = [
            # At most one draft and one published version at a time.
            models.UniqueConstraint(fields=["status"], condition=Q(status="draft"), name="one_draft_template"),
            models.UniqueConstraint(fields=["status"], condition=Q(status="published"), name="one_published_template"),
        ]

    def __str__(self):
        return f"Visit template version {self.version} ({self.get_status_display().lower()})"

    @property
    def is_editable(self) -> bool:
        return self.status == TemplateStatus.DRAFT


class TemplateSection(models.Model):
    template = models.ForeignKey(VisitTemplate, on_delete=models.CASCADE, related_name="sections")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    guidance = LimitedTextField(blank=True, max_length=limits.SUMMARY)
    # Some sections are not free questions: who and what was seen, recommendations, the provider's reply.
    special = models.CharField(
        max_length=30,
        blank=True,
        choices=[
            ("about", "About the visit"),
            ("met", "Who we met and what we saw"),
            # Where visitors mark what a young person asked for ("You said, we did", issue 17).
            ("views", "Young people's views"),
            ("overall", "Overall judgement"),
            ("recommendations", "Recommendations"),
            ("provider_response", "The provider's comments and actions"),
        ],
    )

    class Meta:
        ordering = ["template", "number"]
        constraints = [models.UniqueConstraint(fields=["template", "number"], name="section_number_unique")]

    def __str__(self):
        return f"{self.number}. {self.title}"


class QuestionKind(models.TextChoices):
    LONG_TEXT = "long_text", "Long text"
    YES_NO = "yes_no", "Yes or no"
    CHOICE = "choice", "Choice"
    RATING = "rating", "Rating (1 to 5)"


class TemplateQuestion(models.Model):
    section = models.ForeignKey(TemplateSection, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    help_text = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=20, choices=QuestionKind, default=QuestionKind.LONG_TEXT)
    choices = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ["section", "number"]
        constraints = [models.UniqueConstraint(fields=["section", "number"], name="question_number_unique")]

    def __str__(self):
        return self.text

    @property
    def options(self) -> list[tuple[str, str]]:
        if self.kind == QuestionKind.YES_NO:
            return [("yes", "Yes"), ("no", "No")]
        if self.kind == QuestionKind.RATING:
            return [(str(n), str(n)) for n in range(1, 6)]
        return [(choice, choice) for choice in self.choices]

    def clean(self):
        super().clean()
        if self.kind == QuestionKind.CHOICE and len(self.choices) < 2:
            raise ValidationError({"choices": "Give at least two choices"})


class VisitStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    SHARED = "shared", "Shared with provider"
    RESPONDED = "responded", "Provider responded"
    FINALISED = "finalised", "Finalised"


tags.register(
    "visit_status",
    VisitStatus,
    colours={
        VisitStatus.DRAFT: "grey",
        VisitStatus.SUBMITTED: "blue",
        VisitStatus.SHARED: "yellow",
        VisitStatus.RESPONDED: "turquoise",
        VisitStatus.FINALISED: "green",
    },
)

# From sharing on, the provider sees the report.
SHARED_STATUSES = (VisitStatus.SHARED, VisitStatus.RESPONDED, VisitStatus.FINALISED)


class SectionProgress(models.TextChoices):
    """How far a section of a visit is written up (visits.selectors.section_progress decides)."""

    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"


# As GOV.UK's task list shows them; the pages write "Completed" as plain text, as that task list
# does, so that what is left to do stands out (templates/visits/_section_status.html).
tags.register(
    "section_progress",
    SectionProgress,
    colours={
        SectionProgress.NOT_STARTED: "blue",
        SectionProgress.IN_PROGRESS: "light-blue",
        SectionProgress.COMPLETED: "green",
    },
)


class VisitReason(models.TextChoices):
    NUMBER_OF_YOUNG_PEOPLE = "number", "Number of young people placed"
    VULNERABILITY = "vulnerability", "SEND or other vulnerability"
    NEW_PROVIDER = "new_provider", "New provider"
    CONCERNS = "concerns", "Concerns raised"
    # The same-day visit after an Inadequate judgement (reviews.responses).
    INADEQUATE = "inadequate", "Inadequate Ofsted judgement (or outcome 3)"
    HIGH_COST = "high_cost", "High cost"
    OTHER = "other", "Other"


class OverallJudgement(models.TextChoices):
    YES = "yes", "Yes"
    WITH_RESERVATIONS = "with_reservations", "Yes, with reservations"
    NO = "no", "No"


tags.register(
    "overall_judgement",
    OverallJudgement,
    colours={OverallJudgement.YES: "green", OverallJudgement.WITH_RESERVATIONS: "yellow", OverallJudgement.NO: "red"},
)


class HowArranged(models.TextChoices):
    ANNOUNCED = "announced", "Arranged with the provider"
    SHORT_NOTICE = "short_notice", "Short notice"
    UNANNOUNCED = "unannounced", "Unannounced"


class VisitQuerySet(models.QuerySet):
    def in_financial_year(self, year: FinancialYear):
        """Visits in the financial year (April to March, as the programme runs: DOMAIN.md): by the date
        of the visit, or the planned date until it happens."""
        period = (year.start, year.end)
        return self.filter(Q(visit_date__range=period) | Q(visit_date__isnull=True, planned_date__range=period))

    def submitted(self):
        """Written up and submitted, or further along its path: every visit but a draft."""
        return self.exclude(status=VisitStatus.DRAFT)

    def held_between(self, start, end):
        """Submitted visits that took place from `start` to `end` (both included): the visits the
        programme and the committee pack count."""
        return self.submitted().filter(visit_date__range=(start, end))

    def shared_with_provider(self):
        """Reports the provider has been sent: shared, responded to or finalised."""
        return self.filter(status__in=SHARED_STATUSES)


class Visit(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="visits")
    setting = models.ForeignKey(Setting, on_delete=models.PROTECT, related_name="visits", null=True, blank=True)
    template = models.ForeignKey(VisitTemplate, on_delete=models.PROTECT, related_name="visits")
    status = models.CharField(max_length=20, choices=VisitStatus, default=VisitStatus.DRAFT)
    planned_date = models.DateField()
    visit_date = models.DateField("date of the visit", null=True, blank=True)
    lead_visitor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visits_led")
    lead_visitor_role = models.CharField("lead visitor's role", max_length=150)
    others_present = LimitedTextField(
        "others who came", blank=True, help_text="Names and roles, one a line", max_length=limits.SUMMARY
    )
    young_inspectors = models.PositiveSmallIntegerField("Young Inspectors who came", default=0)
    how_arranged = models.CharField(max_length=20, choices=HowArranged, default=HowArranged.ANNOUNCED)
    reasons = ArrayField(models.CharField(max_length=20, choices=VisitReason), default=list)
    reason_other = models.CharField("other reason", max_length=300, blank=True)
    young_people_met = models.ManyToManyField(YoungPerson, blank=True, related_name="visits_met")
    others_spoken_to = models.PositiveSmallIntegerField("other young people spoken to", default=0)
    staff_met = LimitedTextField("staff and managers met", blank=True, max_length=limits.SUMMARY)
    spaces_seen = LimitedTextField("rooms and spaces seen", blank=True, max_length=limits.SUMMARY)
    overall_judgement = models.CharField(
        "would this be good enough for my own child?", max_length=20, choices=OverallJudgement, blank=True
    )
    overall_summary = LimitedTextField("summary", blank=True, max_length=limits.NARRATIVE)
    response_due = models.DateField("provider's response due", null=True, blank=True)
    provider_comment = LimitedTextField("provider's comments", blank=True, max_length=limits.NARRATIVE)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(m2m_fields=[young_people_met])

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["-planned_date", "-pk"]
        # The visit list's order (the day it took place, or the day planned) and its years, and each
        # provider's last visit, at a consortium's 10,000 visits (issue 15).
        indexes = [
            models.Index(Coalesce("visit_date", "planned_date"), "id", name="visit_by_date"),
            models.Index(fields=["planned_date"], name="visit_planned_date"),
            models.Index(fields=["provider", "visit_date"], name="visit_provider_date"),
            models.Index(fields=["visit_date"], name="visit_date"),
            # The home pages' figures and to-do lists by step (few visits are at any step but the last),
            # read from the index alone where only ids and dates are needed: the year's visits held,
            # and which finalised visits still lack a step (visits.to_do._after_finalising).
            models.Index(fields=["status", "visit_date"], include=["id"], name="visit_status_date"),
            # Each provider's latest submitted visit and its answer to "good enough for my own child?",
            # one index probe a provider (visits.selectors.providers_with_a_no_on_their_latest_visit).
            models.Index(
                fields=["provider", "-visit_date", "-id"],
                include=["overall_judgement"],
                condition=~Q(status="draft") & Q(visit_date__isnull=False),
                name="visit_latest_submitted",
            ),
        ]
        permissions = [
            ("share_visit", "Can share a submitted visit report with the provider"),
            ("finalise_visit", "Can finalise a visit report"),
        ]

    def __str__(self):
        when = self.visit_date or self.planned_date
        return f"Visit to {self.provider} on {when:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("visits:visit_detail", args=[self.pk])

    @property
    def date(self):
        return self.visit_date or self.planned_date

    @property
    def reason_labels(self) -> list[str]:
        labels = dict(VisitReason.choices)
        return [labels.get(r, r) for r in self.reasons]

    @property
    def is_editable(self) -> bool:
        return self.status == VisitStatus.DRAFT

    @property
    def flags_provider(self) -> bool:
        """A "no" to "good enough for my own child?" flags the provider for the QA lead."""
        return self.overall_judgement == OverallJudgement.NO


class Answer(models.Model):
    """The visitor's answer to one template question."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(TemplateQuestion, on_delete=models.PROTECT, related_name="answers")
    text = LimitedTextField(blank=True, max_length=limits.NARRATIVE)
    choice = models.CharField(max_length=100, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["visit", "question"], name="one_answer_per_question")]

    def __str__(self):
        return f"Answer to {self.question_id} on visit {self.visit_id}"

    @property
    def is_blank(self) -> bool:
        return not (self.text.strip() or self.choice)


class VisitEvent(models.Model):
    """A step on the visit's path: who did it, and when."""

    class Step(models.TextChoices):
        PLANNED = "planned", "Planned"
        SUBMITTED = "submitted", "Submitted"
        SHARED = "shared", "Shared with provider"
        RESPONDED = "responded", "Provider responded"
        FINALISED = "finalised", "Finalised"
        CASE_RECORDED = "case_recorded", "Recorded on case records"
        COMMISSIONING = "commissioning", "Shared with commissioning"
        REOPENED = "reopened", "Returned to draft"

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="events")
    step = models.CharField(max_length=20, choices=Step.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = LimitedTextField(blank=True, max_length=limits.SUMMARY)

    class Meta:
        ordering = ["at", "pk"]
        # Whether, and when, a visit took a step: the home pages' to-do lists ask it of many visits.
        indexes = [
            models.Index(fields=["visit", "step"], include=["at"], name="visitevent_visit_step"),
            models.Index(fields=["step", "visit"], name="visitevent_step_visit"),
        ]

    def __str__(self):
        return f"{self.get_step_display()} by {self.by_id} at {self.at:%d/%m/%Y %H:%M}"

    @property
    def history_reason(self) -> str:
        """The step as the visit's change history gives it: "Finalised", "Returned to draft: <why>"."""
        return self.get_step_display() + (f": {self.note}" if self.note else "")


class CaseRecordEntry(models.Model):
    """The visit has been put on this young person's case record (Mosaic): who did it, and when."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="case_record_entries")
    young_person = models.ForeignKey(YoungPerson, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["visit", "young_person"], name="case_record_once")]

    def __str__(self):
        return f"Visit {self.visit_id} on the case record of young person {self.young_person_id}"
