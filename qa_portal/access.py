"""The one place that decides who may see and change what.

Every view, download and export loads objects through `get_for_user` (or lists them
through `visible_to`), never with a bare `Model.objects.get`. Each app registers a
rule for its models in its own `access` module, so `qa_portal` knows nothing of them.

- An object the user may not know exists is a 404: not found, nothing leaked.
- An object they may see but not change is a 403 when they try to change it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404


@dataclass(frozen=True)
class Rule:
    visible: Callable[[object, QuerySet], QuerySet]
    can_change: Callable[[object, Model], bool]


_rules: dict[type[Model], Rule] = {}


def register(model: type[Model], *, visible, can_change) -> None:
    _rules[model] = Rule(visible=visible, can_change=can_change)


def _rule_for(model: type[Model]) -> Rule:
    try:
        return _rules[model]
    except KeyError:
        # No silent default: an unregistered model is a programming error, not "everyone may see it".
        raise ImproperlyConfigured(f"No access rule is registered for {model.__name__}.") from None


def visible_to(user, model_or_queryset) -> QuerySet:
    """The objects of this kind that `user` may know about."""
    queryset = (
        model_or_queryset if isinstance(model_or_queryset, QuerySet) else model_or_queryset._default_manager.all()
    )
    if not (user and user.is_authenticated and user.is_active):
        return queryset.none()
    return _rule_for(queryset.model).visible(user, queryset)


def can_change(user, obj: Model) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return _rule_for(type(obj)).can_change(user, obj)


def get_for_user(user, model_or_queryset, *, change: bool = False, **lookup) -> Model:
    """Load one object for `user`, or raise 404 (may not know of it) / 403 (may not change it)."""
    queryset = visible_to(user, model_or_queryset)
    try:
        obj = queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError):
        raise Http404(f"No {queryset.model._meta.verbose_name} found.") from None
    if change and not can_change(user, obj):
        raise PermissionDenied(f"You cannot change this {queryset.model._meta.verbose_name}.")
    return obj


# Who may see young people is the provider register's rule (providers.access.may_see_young_people),
# registered at start-up; the base asks it through here for what it shows itself (the admin's emails).
_young_people_rule: Callable[[object], bool] | None = None


def register_young_people_rule(rule: Callable[[object], bool]) -> None:
    global _young_people_rule  # set once, at start-up
    _young_people_rule = rule


def may_see_young_people(user) -> bool:
    """Whether `user` may see young people (providers.access.may_see_young_people: the roles with the
    young-person permission). Raises ImproperlyConfigured if no rule is registered: never "everyone"."""
    if _young_people_rule is None:
        raise ImproperlyConfigured("No rule for who may see young people is registered.")
    return _young_people_rule(user)
