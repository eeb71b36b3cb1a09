"""The visit template in Django admin (administrators only).

Administrators edit a draft version and publish it. Published and retired versions are
shown read-only: visits point at them, so they are never changed or deleted. Questions are
edited on their section's page, because Django admin has no nested inlines.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from visits.models import TemplateQuestion, TemplateSection, TemplateStatus, VisitTemplate
from visits.template_versions import (
    ensure_editable,
    template_publish,
    template_publish_problems,
    template_start_draft,
)

SMALL_TEXTAREA = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}}


def _editable(template: VisitTemplate | None) -> bool:
    # No template yet means an add form, which the model permissions alone decide.
    return template is None or template.is_editable


def _ensure_editable_or_403(template: VisitTemplate) -> None:
    # Last guard before writing: locks the template until this request commits, so it
    # cannot be published halfway through. Only reachable if it was published since the
    # permission checks a moment ago, so refuse the request as they would have.
    try:
        ensure_editable(template)
    except ValidationError as exc:
        raise PermissionDenied(exc.messages[0]) from exc


def _report(modeladmin, request, exc: ValidationError, prefix: str) -> None:
    modeladmin.message_user(request, prefix, messages.ERROR)
    for message in exc.messages:
        modeladmin.message_user(request, message, messages.ERROR)


class TemplateSectionInline(admin.TabularInline):
    model = TemplateSection
    fields = ["number", "title", "special", "guidance", "question_count"]
    readonly_fields = ["question_count"]
    formfield_overrides = SMALL_TEXTAREA
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(number_of_questions=Count("questions"))

    @admin.display(description="Questions")
    def question_count(self, section):
        # Edited on the section's own page: follow its "Change" link.
        if section.pk is None:
            return ""
        return getattr(section, "number_of_questions", None) or section.questions.count()

    def has_add_permission(self, request, obj=None):
        return _editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return _editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _editable(obj) and super().has_delete_permission(request, obj)


@admin.register(VisitTemplate)
class VisitTemplateAdmin(admin.ModelAdmin):
    list_display = ["version", "status", "published_at", "published_by", "visit_count"]
    list_filter = ["status"]
    fields = ["version", "status", "notes", "created_at", "published_at", "published_by", "publishing"]
    readonly_fields = ["version", "status", "created_at", "published_at", "published_by", "publishing"]
    inlines = [TemplateSectionInline]
    actions = ["start_draft", "publish_draft"]
    # Enter in a text box presses the form's first submit button: with the buttons on top
    # that is "Save", not the "Save and publish" button in the fields below.
    save_on_top = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("published_by").annotate(number_of_visits=Count("visits"))

    @admin.display(description="Visits using it", ordering="number_of_visits")
    def visit_count(self, template):
        return template.number_of_visits

    # A new version only ever starts as a copy of the published one (the action below),
    # and no version is deleted: visits point at them.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return _editable(obj) and super().has_change_permission(request, obj)

    def has_start_draft_permission(self, request):
        return request.user.has_perm("visits.add_visittemplate")

    def has_publish_permission(self, request):
        return request.user.has_perm("visits.change_visittemplate")

    @admin.display(description="Publishing")
    def publishing(self, template):
        # The buttons sit inside the change form: a draft's saves the form, then publishes;
        # a published or retired version's posts to the start-draft view instead.
        if template.status == TemplateStatus.DRAFT:
            problems = template_publish_problems(template=template)
            if problems:
                checks = format_html(
                    "<p>Fix these before publishing:</p><ul>{}</ul>",
                    format_html_join("", "<li>{}</li>", ((problem,) for problem in problems)),
                )
            else:
                checks = mark_safe("<p>Ready to publish.</p>")
            return checks + mark_safe(
                "<p>New visits will use this version once it is published; visits already started keep theirs.</p>"
                '<button type="submit" name="_publish" class="button default">Save and publish this draft</button>'
            )
        draft = VisitTemplate.objects.filter(status=TemplateStatus.DRAFT).first()
        if draft is not None:
            return format_html(
                '<a href="{}">Version {} is being drafted</a>',
                reverse("admin:visits_visittemplate_change", args=[draft.pk]),
                draft.version,
            )
        return format_html(
            '<button type="submit" formaction="{}" class="button">'
            "Start a new draft from the published version</button>",
            reverse("admin:visits_visittemplate_start_draft"),
        )

    def get_urls(self):
        start_draft = self.admin_site.admin_view(require_POST(self.start_draft_view))
        return [
            path("start-draft/", start_draft, name="visits_visittemplate_start_draft"),
            *super().get_urls(),
        ]

    def start_draft_view(self, request):
        if not self.has_start_draft_permission(request):
            raise PermissionDenied
        return self._start_draft(request)

    def _start_draft(self, request):
        existing = VisitTemplate.objects.filter(status=TemplateStatus.DRAFT).exists()
        draft = template_start_draft(by=request.user)
        if existing:
            self.message_user(request, f"Version {draft.version} is already being drafted: edit it here.")
        else:
            self.message_user(request, f"Started version {draft.version}, a copy of the published version.")
        return HttpResponseRedirect(reverse("admin:visits_visittemplate_change", args=[draft.pk]))

    def _publish(self, request, template):
        """Publish and say what happened; None when it was refused, so the caller can stay put."""
        try:
            published = template_publish(template=template, by=request.user)
        except ValidationError as exc:
            _report(self, request, exc, f"Version {template.version} was not published.")
            return None
        self.message_user(
            request,
            f"Published version {published.version}. New visits use it; visits already started keep their version.",
            messages.SUCCESS,
        )
        return published

    @admin.action(description="Start a new draft from the published version", permissions=["start_draft"])
    def start_draft(self, request, queryset):
        return self._start_draft(request)

    @admin.action(description="Publish this draft", permissions=["publish"])
    def publish_draft(self, request, queryset):
        drafts = [template for template in queryset if template.status == TemplateStatus.DRAFT]
        if not drafts:
            self.message_user(request, "Select the draft version to publish.", messages.ERROR)
            return None
        self._publish(request, drafts[0])
        return None

    def save_model(self, request, obj, form, change):
        _ensure_editable_or_403(obj)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        _ensure_editable_or_403(form.instance)
        super().save_formset(request, form, formset, change)

    def response_change(self, request, obj):
        if "_publish" in request.POST:
            # The form and sections were saved first, so what is published is what was on screen.
            if self._publish(request, obj) is None:
                self.message_user(request, "Your changes to the draft were saved.", messages.WARNING)
                return HttpResponseRedirect(request.path)
            return HttpResponseRedirect(reverse("admin:visits_visittemplate_changelist"))
        return super().response_change(request, obj)


class TemplateQuestionInline(admin.TabularInline):
    model = TemplateQuestion
    fields = ["number", "text", "help_text", "kind", "choices", "required"]
    extra = 0

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "choices":
            field.help_text = "For choice questions: at least two, separated by commas."
        return field

    # obj is the section whose page this is.
    def has_add_permission(self, request, obj=None):
        return _editable(obj and obj.template) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return _editable(obj and obj.template) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _editable(obj and obj.template) and super().has_delete_permission(request, obj)


@admin.register(TemplateSection)
class TemplateSectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "template", "special"]
    list_filter = ["template"]
    list_select_related = ["template"]
    fields = ["template", "number", "title", "special", "guidance"]
    inlines = [TemplateQuestionInline]

    def get_readonly_fields(self, request, obj=None):
        # A section stays in the version it was added to.
        return ["template"] if obj else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "template":
            kwargs["queryset"] = VisitTemplate.objects.filter(status=TemplateStatus.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request):
        # Sections are only ever added to the draft.
        return (
            super().has_add_permission(request) and VisitTemplate.objects.filter(status=TemplateStatus.DRAFT).exists()
        )

    def has_change_permission(self, request, obj=None):
        return _editable(obj and obj.template) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _editable(obj and obj.template) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        _ensure_editable_or_403(obj.template)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        _ensure_editable_or_403(form.instance.template)
        super().save_formset(request, form, formset, change)

    def delete_model(self, request, obj):
        _ensure_editable_or_403(obj.template)
        super().delete_model(request, obj)

    # After saving a section, go back to its version rather than to the list of every
    # section of every version.
    def response_post_save_add(self, request, obj):
        return HttpResponseRedirect(reverse("admin:visits_visittemplate_change", args=[obj.template_id]))

    def response_post_save_change(self, request, obj):
        return HttpResponseRedirect(reverse("admin:visits_visittemplate_change", args=[obj.template_id]))
