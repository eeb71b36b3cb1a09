"""Role and permission changes, recorded with the values before and after (AccountChange).

What is recorded, wherever the portal makes the change:

- an account's email address (its sign-in), roles, whether it is active, whether it is a superuser,
  its provider (a provider user's whole scope) and any permissions given to it directly: in the admin
  (qa_portal.admin.UserAdmin), and a superuser made with `createsuperuser`;
- a role's permissions: when `sync_roles` brings the groups in line with qa_portal.roles after a
  deployment's `migrate`, and when a superuser edits a group in the admin.

Whether someone may use the admin ("staff") is not a flag of its own here: it follows the
Administrator role and superuser status (User.is_staff), both recorded.

Changes made outside the portal (a Django shell, SQL) are not recorded: whoever can do those can also
change the record.
"""

from dataclasses import dataclass, fields

from qa_portal.audit.models import AccountChange


def _permission_names(permissions) -> tuple[str, ...]:
    """ "app_label.codename" of each of `permissions` (a Permission queryset), sorted."""
    return tuple(
        sorted(f"{app}.{codename}" for app, codename in permissions.values_list("content_type__app_label", "codename"))
    )


@dataclass(frozen=True)
class AccountSnapshot:
    """What an account may do, as the database holds it now. Field metadata gives each its label."""

    email: str = ""
    roles: tuple[str, ...] = ()
    active: bool | None = None
    superuser: bool | None = None
    provider: str = ""
    permissions: tuple[str, ...] = ()

    LABELS = {
        "email": "Email address",
        "roles": "Roles",
        "active": "Active",
        "superuser": "Superuser",
        "provider": "Provider",
        "permissions": "Permissions of their own",
    }

    @classmethod
    def of(cls, user) -> "AccountSnapshot":
        """Read afresh from the database (not from `user`'s cached roles): two queries."""
        return cls(
            email=user.email,
            roles=tuple(sorted(user.groups.values_list("name", flat=True))),
            active=user.is_active,
            superuser=user.is_superuser,
            provider=user.provider.name if user.provider_id else "",
            permissions=_permission_names(user.user_permissions.all()),
        )

    @classmethod
    def none(cls) -> "AccountSnapshot":
        """Before an account existed: nothing."""
        return cls()


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, tuple):
        return ", ".join(value)
    return str(value)


def account_changes_record(*, account, before: AccountSnapshot, by, how: AccountChange.How) -> list[AccountChange]:
    """Record each way `account` differs now from `before` (AccountSnapshot.of it before the change,
    or AccountSnapshot.none() for a new account), made by `by` (None: the system) `how`.
    Returns the records made, in the order of AccountSnapshot's fields (none if nothing changed)."""
    after = AccountSnapshot.of(account)
    changes = []
    for field in fields(AccountSnapshot):
        old, new = getattr(before, field.name), getattr(after, field.name)
        if old == new or (old is None and new is False) or (old == () and new == ()):
            continue
        changes.append(
            AccountChange(
                by=by,
                how=how,
                account=account,
                what=AccountSnapshot.LABELS[field.name],
                before=_shown(old),
                after=_shown(new),
            )
        )
    return AccountChange.objects.bulk_create(changes)


def role_permissions(group) -> tuple[str, ...]:
    """The role's (group's) permissions as "app_label.codename", sorted, as the database holds them."""
    return _permission_names(group.permissions.all())


def role_permissions_record(*, group, before: tuple[str, ...], by, how: AccountChange.How) -> AccountChange | None:
    """Record that the permissions of the role `group` are now what the database holds, if they differ
    from `before` (role_permissions() read before the change). Returns the record, or None."""
    after = role_permissions(group)
    if after == tuple(before):
        return None
    return AccountChange.objects.create(
        by=by, how=how, group=group, what="Permissions", before=", ".join(before), after=", ".join(after)
    )


def added_and_removed(change: AccountChange) -> str:
    """A list-valued change as what it added and took away: "Added: a, b. Removed: c"."""
    before = {item for item in change.before.split(", ") if item}
    after = {item for item in change.after.split(", ") if item}
    parts = []
    if added := sorted(after - before):
        parts.append("Added: " + ", ".join(added))
    if removed := sorted(before - after):
        parts.append("Removed: " + ", ".join(removed))
    return ". ".join(parts)
