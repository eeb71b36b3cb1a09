"""Forms to book a review meeting (or change its booking) and to cancel one. Validation and layout
only; reviews.meetings does the work (meeting_book, meeting_cancel)."""

from datetime import datetime

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from qa_portal import dates
from qa_portal.fields import UKDateField
from qa_portal.inputs import limits
from qa_portal.inputs.forms import PortalForm
from qa_portal.intentions import Submit
from qa_portal.markup import Markup
from qa_portal.models import User
from qa_portal.roles import Role
from reviews.meeting_forms import ErrorAnchorsMixin
from reviews.models import MeetingInvitee, ReviewMeeting


def _time_field(label: str, what: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        input_formats=["%H:%M", "%H.%M"],
        help_text="Use the 24-hour clock, for example 14:30",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": f"Enter the time the meeting {what}",
            "invalid": "Enter the time as hours and minutes on the 24-hour clock, like 14:30",
        },
    )


class ContactChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, contact):
        role = f", {contact.role}" if contact.role else ""
        return f"{contact.name}{role} ({contact.email})"


class QaLeadChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return f"Invite {user.full_name}, QA lead"


class MeetingBookingForm(ErrorAnchorsMixin, PortalForm):
    """When and where the meeting is, and who is invited: the organiser (who books it, chairing) and
    the provider's commissioning officer always; the QA lead if ticked; the provider's contacts
    ticked (all of those with an email address, to begin with)."""

    date = UKDateField(label="Date", within=dates.DUE)
    start_time = _time_field("Start time", "starts")
    end_time = _time_field("End time", "ends")
    place = forms.CharField(
        label="Address or room",
        required=False,
        max_length=300,
        help_text="Leave blank if the meeting is only online.",
        error_messages={"max_length": "Enter where the meeting is in 300 characters or fewer"},
    )
    online_link = forms.URLField(
        label="Link to join online",
        required=False,
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"class": "govuk-input", "spellcheck": "false", "autocomplete": "off"}),
        help_text="For example, a Microsoft Teams link. Leave blank if the meeting is only in person.",
        error_messages={
            "invalid": "Enter the link in full, starting with https://",
            "max_length": "Enter a link of 500 characters or fewer",
        },
    )
    qa_leads = QaLeadChoiceField(
        label="The QA lead", queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    contacts = ContactChoiceField(
        label="Who from the provider",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one person from the provider to invite"},
    )

    def __init__(self, *args, meeting: ReviewMeeting, user, **kwargs):
        self.meeting, self.user = meeting, user
        provider = meeting.provider
        contacts = provider.contacts.exclude(email="").order_by("name")
        qa_leads = User.objects.active_with_role(Role.QA_LEAD).exclude(pk=user.pk).order_by("full_name")
        invited = list(meeting.invitees.all())
        if meeting.is_booked:
            starts, ends = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
            kwargs.setdefault(
                "initial",
                {
                    "date": f"{starts:%d/%m/%Y}",
                    "start_time": f"{starts:%H:%M}",
                    "end_time": f"{ends:%H:%M}",
                    "place": meeting.place,
                    "online_link": meeting.online_link,
                    "qa_leads": [str(i.user_id) for i in invited if i.user_id],
                    "contacts": [str(i.contact_id) for i in invited if i.contact_id],
                },
            )
        else:
            kwargs.setdefault("initial", {"contacts": [str(pk) for pk in contacts.values_list("pk", flat=True)]})
        super().__init__(*args, **kwargs)
        self.fields["contacts"].queryset = contacts
        self.fields["qa_leads"].queryset = qa_leads
        self.fields["date"].help_text = f"Due by {meeting.due_date:%-d %B %Y}. For example, {meeting.due_date:%d/%m/%Y}"
        if not contacts.exists():
            self.fields["contacts"].error_messages["required"] = (
                f"{provider.name} has no contacts with an email address: add one on the provider's page first"
            )
        self.helper = FormHelper()
        # Checked on the server, so each message appears beside its field in the portal's words.
        self.helper.attrs = {"novalidate": True}
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(
            Fieldset(
                Field.text("date"),
                Field.text("start_time"),
                Field.text("end_time"),
                legend="When",
                legend_size=Size.MEDIUM,
                legend_tag="h2",
            ),
            Fieldset(
                Field.text("place"), Field.text("online_link"), legend="Where", legend_size=Size.MEDIUM, legend_tag="h2"
            ),
            Fieldset(
                Markup(self._always_invited()),
                *([Field.checkboxes("qa_leads", small=True)] if qa_leads.exists() else []),
                Markup(self._no_contacts() if not contacts.exists() else ""),
                Field.checkboxes("contacts", small=True),
                legend="Who is invited",
                legend_size=Size.MEDIUM,
                legend_tag="h2",
            ),
            Submit(
                "submit", "Change the booking and send the update" if meeting.is_booked else "Book and send the invites"
            ),
        )

    def full_clean(self):
        super().full_clean()
        # crispy-forms-gds marks only plain text inputs in error; mark the link as GOV.UK does (the date
        # input marks its own boxes).
        for name in ("online_link",):
            if name in self.errors:
                self.fields[name].widget.attrs["class"] += " govuk-input--error"

    def _always_invited(self) -> str:
        people = [(person.full_name, why) for person, why in self.council_invitees()]
        rows = format_html_join("", "<li>{} ({})</li>", people)
        return format_html(
            '<p class="govuk-body">Always invited:</p><ul class="govuk-list govuk-list--bullet">{}</ul>', rows
        )

    def _no_contacts(self) -> str:
        provider = self.meeting.provider
        return format_html(
            '<div class="govuk-inset-text">{} has no contacts with an email address. '
            '<a class="govuk-link" href="{}">Add one on the provider\'s page</a>, then come back to book.</div>',
            provider.name,
            reverse("providers:provider_detail", args=[provider.pk]),
        )

    def council_invitees(self) -> list[tuple[User, str]]:
        """Who from the council is always invited, with why: the organiser (whoever booked it first,
        else the person booking now) and the provider's own commissioning officer."""
        organiser = self.meeting.booked_by or self.user
        people = [(organiser, "organiser, chairing")]
        officer = self.meeting.provider.commissioning_officer
        if officer is not None and officer.is_active and officer.pk != organiser.pk:
            people.append((officer, "the provider's commissioning officer"))
        return people

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("date"), cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "The end time must be after the start time")
        nowhere = not (cleaned.get("place") or "").strip() and not cleaned.get("online_link")
        if nowhere and not self.errors.get("place") and not self.errors.get("online_link"):
            self.add_error("place", "Enter where the meeting is, or a link to join it online")
        if day and start and self._when_changed() and self.starts_at() < timezone.now():
            if day < timezone.localdate():
                self.add_error("date", "The date must be today or in the future")
            else:
                self.add_error("start_time", "The start time has passed: choose a later time or another day")
        return cleaned

    def _when_changed(self) -> bool:
        meeting = self.meeting
        return not meeting.is_booked or (self.starts_at(), self.ends_at()) != (meeting.starts_at, meeting.ends_at)

    def starts_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.cleaned_data["date"], self.cleaned_data["start_time"]))

    def ends_at(self) -> datetime:
        end = self.cleaned_data.get("end_time") or self.cleaned_data["start_time"]
        return timezone.make_aware(datetime.combine(self.cleaned_data["date"], end))

    def invitees(self) -> list[MeetingInvitee]:
        """Everyone to invite, as unsaved MeetingInvitees (the service keeps those already invited)."""
        council = [
            MeetingInvitee(
                name=person.full_name,
                email=person.email,
                role=person.job_title or "Commissioning officer",
                user=person,
                chair=number == 0,
            )
            for number, (person, _why) in enumerate(self.council_invitees())
        ]
        council += [
            MeetingInvitee(name=lead.full_name, email=lead.email, role=lead.job_title or "QA lead", user=lead)
            for lead in self.cleaned_data["qa_leads"]
        ]
        provider = self.meeting.provider.name
        contacts = [
            MeetingInvitee(
                name=contact.name,
                email=contact.email,
                role=f"{contact.role}, {provider}" if contact.role else provider,
                contact=contact,
            )
            for contact in self.cleaned_data["contacts"]
        ]
        return council + contacts


class MeetingCancelForm(PortalForm):
    reason = forms.CharField(
        label="Why is the meeting cancelled?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=limits.REASON,
        help_text="Everyone invited is told, the provider's contacts included",
        error_messages={
            "required": "Enter why the meeting is cancelled",
            "max_length": "Enter the reason in 2,000 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.textarea("reason", rows=3),
            Submit("submit", "Cancel the meeting and tell everyone", css_class="govuk-button--warning"),
        )
