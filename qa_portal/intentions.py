"""One record per intention: a form that creates something creates it once, however many times
it is posted in quick succession (a double click, a second press while the page is slow, a POST
sent again by the browser).

How it works, for every create form alike:

- The form carries a one-time token, a hidden `form_token` field. The portal's `Submit` button puts
  it in on any page whose view is marked `one_record_per_intention`; a hand-written form puts it in
  with `{% form_token %}`. A new token is made each time an empty form is drawn; a form that comes
  back with errors keeps the token it was posted with, since nothing has been made with it yet.
- The view is wrapped in `one_record_per_intention`. For a POST with a token it opens a transaction,
  first records the token as used (`UsedFormToken`, unique per user, token and what was posted),
  then runs the view. If the view redirects, something was made: the redirect's address is kept
  with the token and the transaction commits, the record and the token together. If not (the form
  had errors), the transaction is rolled back and the token is not used up.
- A second POST of the same form inserts the same row: PostgreSQL makes it wait on the unique index
  until the first POST has committed, then refuses it. The second POST is then sent where the first
  went, with the message ALREADY_SAVED, and nothing is made twice. Never a 500, never a second row.
- The same token with different contents (the person went Back, changed the text and sent it
  again) is a new intention: it is saved, so their text is not lost.
- A POST without a token (a page drawn before this existed) is taken as a fresh intention.
- The GOV.UK Button's `data-prevent-double-click` is a first line in the browser; this is the one
  that holds without JavaScript and across tabs.

Used tokens are deleted after KEEP_FOR by a daily job (`delete_used_form_tokens`)."""

import hashlib
import json
import uuid
from datetime import timedelta
from functools import wraps

from crispy_forms.utils import TEMPLATE_PACK
from crispy_forms_gds.layout import Submit as GdsSubmit
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http.response import HttpResponseRedirectBase
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.html import format_html

from qa_portal.models import UsedFormToken

FIELD = "form_token"
ALREADY_SAVED = "This was already saved — it has not been saved twice."
# Long enough for any page left open and sent again; short enough that the table stays small.
KEEP_FOR = timedelta(days=3)
# Not part of what the person meant: the CSRF token changes with a new sign-in, the form token is the key.
_NOT_WHAT_WAS_MEANT = {"csrfmiddlewaretoken", FIELD}


def posted_token(data) -> uuid.UUID | None:
    """The form token in POST data (a QueryDict or dict), or None if there is none or it is malformed."""
    try:
        return uuid.UUID(str(data.get(FIELD, "")))
    except ValueError:
        return None


def token_input(data=None) -> str:
    """The hidden field: the token posted in `data` if there is one (a form back with errors keeps its
    intention), otherwise a new one."""
    token = (posted_token(data) if data is not None else None) or uuid.uuid4()
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, token)


def fingerprint(request) -> str:
    """SHA-256 (hex) of what was posted, tokens apart, uploaded files' contents included: two POSTs
    of one form are one intention only if they say the same thing."""
    fields = sorted((name, request.POST.getlist(name)) for name in request.POST if name not in _NOT_WHAT_WAS_MEANT)
    digest = hashlib.sha256(json.dumps(fields).encode())
    for name in sorted(request.FILES):
        for upload in request.FILES.getlist(name):
            digest.update(f"\0{name}\0{upload.name}\0".encode())
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
    return digest.hexdigest()


def one_record_per_intention(view):
    """Decorate a view that creates something from a POSTed form, innermost (next to the view), so that
    access is checked first. On success the view must redirect (to what it made, or the page that
    shows it); anything else is taken to mean nothing was made. Pages drawn by the view carry the
    token on their `Submit` buttons. See the module's docstring for how it works."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.one_record_per_intention = True
        token = posted_token(request.POST) if request.method == "POST" else None
        if token is None:
            return view(request, *args, **kwargs)
        key = {"user": request.user, "token": token, "fingerprint": fingerprint(request)}
        with transaction.atomic():
            try:
                with transaction.atomic():
                    claim = UsedFormToken.objects.create(**key, path=request.path[:500])
            except IntegrityError:
                # Raised only once the other POST has committed: its row is there to read.
                used = UsedFormToken.objects.filter(**key).first()
                messages.info(request, ALREADY_SAVED)
                return redirect(used.result_url if used and used.result_url else request.get_full_path())
            response = view(request, *args, **kwargs)
            if isinstance(response, HttpResponseRedirectBase):
                claim.result_url = response.url[:500]
                claim.save(update_fields=["result_url"])
            else:
                # Nothing was made (the form came back with errors): the intention is not used up.
                transaction.set_rollback(True)
            return response

    wrapped.one_record_per_intention = True
    return wrapped


class Submit(GdsSubmit):
    """The portal's submit button: a GOV.UK button that ignores a second click within a second
    (govuk-frontend's Button, `data-prevent-double-click`), and, on a page whose view is
    `one_record_per_intention`, the form's one-time token with it."""

    def __init__(self, name, value, **kwargs):
        kwargs.setdefault("data_module", "govuk-button")
        kwargs.setdefault("data_prevent_double_click", "true")
        super().__init__(name, value, **kwargs)

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        button = super().render(form, context, template_pack=template_pack, **kwargs)
        if getattr(context.get("request"), "one_record_per_intention", False):
            return token_input(form.data if form.is_bound else None) + button
        return button


def delete_used_tokens(*, older_than: timedelta = KEEP_FOR) -> int:
    """Forget tokens used more than `older_than` ago (a page that old sent again is a new intention).
    Returns how many were deleted."""
    deleted, _ = UsedFormToken.objects.filter(used_at__lt=timezone.now() - older_than).delete()
    return deleted
