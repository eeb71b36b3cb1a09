"""Adding and changing providers and what hangs off them: settings, Ofsted inspections, contacts and
concerns (the forms; the provider's pages are providers.views.register)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.shortcuts import redirect, render, resolve_url
from django.views.decorators.http import require_http_methods

from providers import services
from providers.forms import (
    ConcernForm,
    ContactForm,
    InspectionForm,
    ProviderForm,
    ProviderStatusForm,
    SettingForm,
)
from providers.models import (
    Concern,
    Contact,
    Provider,
    Setting,
)
from providers.privacy import record_listed
from qa_portal import access
from qa_portal.intentions import one_record_per_intention
from qa_portal.removal import remove_page


def form_page(request, form, *, heading, caption="", back_url, record=None):
    # A form listing young people to pick from (a concern's) is in the access log each time it is shown.
    record_listed(request, form, f"{heading}: {caption}" if caption else heading, record=record)
    context = {"form": form, "heading": heading, "caption": caption, "back_url": resolve_url(back_url)}
    return render(request, "providers/form.html", context)


@permission_required("providers.add_provider", raise_exception=True)
@one_record_per_intention
def provider_create(request):
    form = ProviderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        provider = form.save()
        messages.success(request, f"{provider} added to the register")
        return redirect("providers:provider_detail", pk=provider.pk)
    return form_page(request, form, heading="Add a provider", back_url="providers:provider_list")


@permission_required("providers.change_provider", raise_exception=True)
def provider_edit(request, pk):
    provider = access.get_for_user(request.user, Provider, pk=pk, change=True)
    form = ProviderForm(request.POST or None, instance=provider)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Provider details saved")
        return redirect("providers:provider_detail", pk=provider.pk)
    return form_page(request, form, heading="Edit provider details", caption=str(provider), back_url=provider)


@permission_required("providers.change_provider", raise_exception=True)
@one_record_per_intention
def provider_status(request, pk):
    provider = access.get_for_user(request.user, Provider, pk=pk, change=True)
    form = ProviderStatusForm(request.POST or None, current_status=provider.status)
    if request.method == "POST" and form.is_valid():
        change = services.provider_change_status(
            provider=provider,
            to_status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
        if change is None:
            # Someone changed it to this status between our reading the provider and saving.
            provider.refresh_from_db(fields=["status"])
            messages.warning(
                request,
                f"{provider} was already {provider.status_in_a_sentence}: someone else changed the status first, "
                "so your change and reason were not recorded",
            )
        else:
            messages.success(request, f"Status changed to {provider.get_status_display().lower()}")
        return redirect("providers:provider_detail", pk=provider.pk)
    return form_page(
        request,
        form,
        heading="Change the provider's status",
        caption=f"{provider}: now {provider.get_status_display().lower()}",
        back_url=provider,
    )


@permission_required("providers.add_setting", raise_exception=True)
@one_record_per_intention
def setting_create(request, pk):
    provider = access.get_for_user(request.user, Provider, pk=pk, change=True)
    form = SettingForm(request.POST or None, instance=Setting(provider=provider))
    if request.method == "POST" and form.is_valid():
        setting = form.save()
        messages.success(request, f"Setting {setting} added")
        return redirect("providers:provider_detail", pk=provider.pk)
    return form_page(request, form, heading="Add a setting", caption=str(provider), back_url=provider)


@permission_required("providers.change_setting", raise_exception=True)
def setting_edit(request, pk):
    setting = access.get_for_user(request.user, Setting.objects.select_related("provider"), pk=pk, change=True)
    form = SettingForm(request.POST or None, instance=setting)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            # Archiving a setting takes its judgement out of the provider's current one.
            services.refresh_judgements(setting.provider)
        messages.success(request, f"Setting {setting} saved")
        return redirect("providers:provider_detail", pk=setting.provider_id)
    return form_page(request, form, heading="Edit setting", caption=str(setting.provider), back_url=setting.provider)


@permission_required("providers.add_ofstedinspection", raise_exception=True)
@one_record_per_intention
def inspection_create(request, pk):
    provider = access.get_for_user(request.user, Provider, pk=pk, change=True)
    form = InspectionForm(request.POST or None, provider=provider)
    if request.method == "POST" and form.is_valid():
        services.inspection_record(inspection=form.instance, by=request.user)
        messages.success(request, "Inspection recorded")
        return redirect("providers:provider_detail", pk=provider.pk)
    return form_page(request, form, heading="Record an Ofsted inspection", caption=str(provider), back_url=provider)


@permission_required("providers.add_contact", raise_exception=True)
@one_record_per_intention
def contact_create(request, pk):
    provider = access.get_for_user(request.user, Provider, pk=pk, change=True)
    form = ContactForm(request.POST or None, provider=provider)
    if request.method == "POST" and form.is_valid():
        contact = form.save()
        messages.success(request, f"Contact {contact} added")
        return redirect("providers:provider_detail", pk=provider.pk)
    return form_page(request, form, heading="Add a contact", caption=str(provider), back_url=provider)


@permission_required("providers.change_contact", raise_exception=True)
def contact_edit(request, pk):
    contact = access.get_for_user(request.user, Contact.objects.select_related("provider"), pk=pk, change=True)
    form = ContactForm(request.POST or None, instance=contact, provider=contact.provider)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Contact {contact} saved")
        return redirect("providers:provider_detail", pk=contact.provider_id)
    return form_page(request, form, heading="Edit contact", caption=str(contact.provider), back_url=contact.provider)


@permission_required("providers.add_concern", raise_exception=True)
@one_record_per_intention
def concern_create(request, pk):
    provider = access.get_for_user(request.user, Provider, pk=pk)
    form = ConcernForm(request.POST or None, provider=provider, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.concern_save(concern=form.save(commit=False), by=request.user)
        messages.success(request, "Concern recorded")
        return redirect("providers:provider_detail", pk=provider.pk)
    return form_page(
        request, form, heading="Record a concern", caption=str(provider), back_url=provider, record=provider
    )


@permission_required("providers.change_concern", raise_exception=True)
def concern_edit(request, pk):
    concern = access.get_for_user(request.user, Concern.objects.select_related("provider"), pk=pk, change=True)
    form = ConcernForm(request.POST or None, instance=concern, provider=concern.provider, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.concern_save(concern=form.save(commit=False), by=request.user)
        messages.success(request, "Concern saved")
        return redirect("providers:provider_detail", pk=concern.provider_id)
    return form_page(
        request,
        form,
        heading="Update concern",
        caption=str(concern.provider),
        back_url=concern.provider,
        record=concern,
    )


@require_http_methods(["GET", "POST"])
@permission_required("providers.view_concern", raise_exception=True)
def concern_remove(request, pk):
    """Remove a concern recorded in error (twice, say): its recorder or a QA lead, with a reason."""
    concern = access.get_for_user(request.user, Concern.all_objects.select_related("provider", "raised_by"), pk=pk)
    provider = concern.provider
    return remove_page(
        request,
        concern,
        what="concern",
        caption=str(provider),
        details=[
            ("Received", f"{concern.received_on:%-d %B %Y}"),
            ("From", concern.get_source_display()),
            ("Summary", concern.summary),
            ("Recorded by", concern.raised_by.full_name),
        ],
        back_url=provider.get_absolute_url(),
        done_url=provider.get_absolute_url(),
    )
