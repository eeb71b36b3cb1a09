"""Control characters in query strings, and JSON bodies that could not be stored: one middleware
for every page (`InputsMiddleware`, after MessageMiddleware in settings.MIDDLEWARE)."""

import json

from django.contrib import messages
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse, QueryDict

from qa_portal.inputs.text import NEVER_STORED, code_point, first_control_character, without_control_characters

JSON_TYPES = ("application/json",)
TOO_BIG = "What was sent is too big to save. Nothing was saved."


def _query_without_control_characters(query: QueryDict) -> tuple[QueryDict, str | None]:
    """`query` with control characters taken out of its names and values, and the first one found."""
    found = None
    cleaned = QueryDict(mutable=True)
    for name, values in query.lists():
        for text in (name, *values):
            found = found or first_control_character(text)
        cleaned.setlist(without_control_characters(name), [without_control_characters(value) for value in values])
    cleaned._mutable = False
    return cleaned, found


def _strings_in(value, where: str = ""):
    """Every string in a decoded JSON value, keys included, with where it is ("fields → q2 → value")."""
    stack = [(value, where)]
    while stack:
        item, at = stack.pop()
        if isinstance(item, str):
            yield item, at
        elif isinstance(item, dict):
            for key, inner in item.items():
                yield key, at
                stack.append((inner, f"{at} → {key}" if at else key))
        elif isinstance(item, list):
            stack.extend((inner, at) for inner in item)


def json_problem(body: bytes) -> dict | None:
    """Why a JSON body cannot be taken at all, as {"error": message, "field": where}; None if it can.

    Refused: a body that is not UTF-8 or not JSON, and one holding a character that can never be
    stored (NUL, which PostgreSQL refuses, or a lone surrogate such as "\\ud800", which is not a
    character). Other control characters are the view's to refuse, beside the field they are in
    (the visit autosave answers 422 for them, as for any invalid value)."""
    if not body:
        return None
    try:
        decoded = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        return {"error": "What was sent is not UTF-8 text, so nothing was saved."}
    except (ValueError, RecursionError):
        return {"error": "What was sent is not JSON, so nothing was saved."}
    for text, where in _strings_in(decoded):
        if found := NEVER_STORED.search(text):
            return {
                "error": f"What was sent has a character that is not text ({code_point(found.group())}), "
                "so nothing was saved. Remove it and try again.",
                "field": where,
            }
    return None


class InputsMiddleware:
    """- Query strings (a list's search and filters, a page number): control characters are taken out
      of every name and value before any view or middleware reads them, and the page says so in a
      message. The list is shown as if they had not been typed.
    - JSON bodies: one that cannot be stored (`json_problem`) or is bigger than
      DATA_UPLOAD_MAX_MEMORY_SIZE is answered 400 with {"error": message}, before any view runs.
    Form posts are the forms' business (qa_portal.inputs.forms), and uploads the upload fields'."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.META.get("QUERY_STRING") and any(
            first_control_character(text) for name, values in request.GET.lists() for text in (name, *values)
        ):
            request.GET, found = _query_without_control_characters(request.GET)
            request.META["QUERY_STRING"] = request.GET.urlencode()
            messages.warning(
                request,
                f"A hidden character that is not text ({found}) was taken out of the address (its search or filters).",
                fail_silently=True,
            )
        if request.method in ("POST", "PUT", "PATCH") and request.content_type in JSON_TYPES:
            try:
                problem = json_problem(request.body)
            except RequestDataTooBig:
                problem = {"error": TOO_BIG}
            if problem:
                return JsonResponse(problem, status=400)
        return self.get_response(request)
