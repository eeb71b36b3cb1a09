"""Records removed in error: a concern, recommendation or progress note recorded twice, or by mistake.

A QA record keeps its audit trail, so removal is soft. The row stays, with who removed it, when and
why, and its change history says so ("Removed in error: <reason>"). The model's default manager
(`objects`, a `KeptManager`) no longer returns it, so it drops out of every list, count, home page
figure, reminder and the committee pack at once, and out of reverse relations such as
`provider.concerns`. `all_objects` still has it, for the pages that say it was removed. A query
that joins through a relation (`Count("recommendations")`) does not go through a manager and must
say `removed_at__isnull=True` itself.

Who may remove one: the person who recorded it, or a QA lead (`may_be_removed_by`). The page is
`remove_page`: a confirmation with a GOV.UK warning and a reason, which is required."""

from collections.abc import Callable

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.shortcuts import redirect, render
from django.utils import timezone

from qa_portal.inputs import limits
from qa_portal.inputs.forms import PortalForm
from qa_portal.inputs.limits import LimitedTextField
from qa_portal.intentions import Submit
from qa_portal.roles import Role

REASON_NEEDED = "Say why it is being removed, for example that it was recorded twice"


class AlreadyRemoved(Exception):
    """Someone removed the record first (or the same button was pressed twice)."""


class KeptManager(models.Manager):
    """Only the records not removed in error. Use as the model's first manager, `objects`."""

    def get_queryset(self):
        return super().get_queryset().filter(removed_at__isnull=True)


def kept_manager(queryset_class: type[models.QuerySet] = models.QuerySet) -> KeptManager:
    """`objects` for a removable model with its own QuerySet methods: `kept_manager(ConcernQuerySet)`."""
    return KeptManager.from_queryset(queryset_class)()


class RemovableInError(models.Model):
    """Abstract: who removed the record in error, when and why. The concrete model names the field
    holding who recorded it in `recorded_by_field`, and declares `objects = kept_manager(...)` first
    and `all_objects` (every row) after it."""

    recorded_by_field = "created_by"

    removed_at = models.DateTimeField(null=True, blank=True, editable=False)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="+"
    )
    removed_reason = LimitedTextField("reason for removing it", blank=True, editable=False, max_length=limits.REASON)

    class Meta:
        abstract = True

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    def may_be_removed_by(self, user) -> bool:
        """The person who recorded it, or a QA lead; never once it is removed."""
        if self.is_removed or not (user and user.is_authenticated and user.is_active):
            return False
        return getattr(self, f"{self.recorded_by_field}_id") == user.pk or user.has_role(Role.QA_LEAD)

    @transaction.atomic
    def remove_in_error(self, *, by, reason: str) -> None:
        """Remove the record in error: it stays, with `by`, the time and `reason`, and its change
        history (if it keeps one) records the step with "Removed in error: <reason>".
        Raises ValidationError({"reason": …}) without a reason, AlreadyRemoved if it was removed first."""
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": REASON_NEEDED})
        now = timezone.now()
        # A sort of optimistic lock: of two presses of the button, only the first removes it.
        claimed = (
            type(self)
            ._base_manager.filter(pk=self.pk, removed_at__isnull=True)
            .update(removed_at=now, removed_by=by, removed_reason=reason)
        )
        if not claimed:
            raise AlreadyRemoved("This was already removed.")
        self.removed_at, self.removed_by, self.removed_reason = now, by, reason
        self._history_user = by
        self._change_reason = f"Removed in error: {reason}"
        self.save(update_fields=["removed_at", "removed_by", "removed_reason"])


class RemoveForm(PortalForm):
    reason = forms.CharField(
        label="Why are you removing it?",
        max_length=limits.REASON,
        help_text="For example, “Recorded twice: the same one was recorded at 10:14”. It is kept in the history.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": REASON_NEEDED},
    )

    def __init__(self, *args, button: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.label_size = Size.MEDIUM
        self.helper.layout = Layout(
            Field.textarea("reason", rows=3), Submit("remove", button, css_class="govuk-button--warning")
        )


def remove_page(
    request,
    record: RemovableInError,
    *,
    what: str,
    caption: str,
    details: list[tuple[str, str]],
    back_url: str,
    done_url: str,
    remove: Callable[[str], None] | None = None,
):
    """The confirmation page for removing `record` in error (GET), and the removal (POST), then back to
    `done_url` with a message. `what` names it ("concern"); `details` are (label, value) rows that show
    which one it is; `remove(reason)` replaces `record.remove_in_error` where more must happen with it.
    403 if the user may not remove it; a record already removed goes to `done_url` with a message."""
    if record.is_removed:
        messages.info(request, f"This {what} was already removed.")
        return redirect(done_url)
    if not record.may_be_removed_by(request.user):
        raise PermissionDenied(f"Only the person who recorded this {what}, or a QA lead, may remove it.")
    form = RemoveForm(request.POST or None, button=f"Remove the {what}")
    if request.method == "POST" and form.is_valid():
        try:
            if remove is None:
                record.remove_in_error(by=request.user, reason=form.cleaned_data["reason"])
            else:
                remove(form.cleaned_data["reason"])
        except AlreadyRemoved:
            messages.info(request, f"This {what} was already removed.")
            return redirect(done_url)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"The {what} was removed. The change history keeps it, with your reason.")
            return redirect(done_url)
    context = {"form": form, "what": what, "caption": caption, "details": details, "back_url": back_url}
    return render(request, "components/remove_page.html", context)
