"""The bench's staff of every role and the providers' users, each with an authenticator app."""

from collections import defaultdict

from bench import texts
from bench.data.base import PASSWORD, TOTP_KEY, USERS, Base


class People(Base):
    """Staff of every role (USERS, scaled to the size) and provider users, the busiest provider's first."""

    def users(self):
        from django.contrib.auth.hashers import make_password
        from django.contrib.auth.models import Group
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from qa_portal.models import User
        from qa_portal.roles import Role

        password = make_password(PASSWORD)  # one hash for everyone: hashing each would take minutes
        self.staff: dict[str, list] = {}
        made, roles = [], []
        for role, (regional, fewest) in USERS.items():
            if role == "provider_user":
                continue
            for n in range(max(fewest, round(regional * self.size.scale))):
                made.append(
                    User(
                        email=f"{role.replace('_', '.')}.{n + 1}@bench.example.org",
                        full_name=texts.person(self.rng),
                        job_title=Role(role).label,
                        password=password,
                    )
                )
                roles.append(role)
        self.bulk(User, made)
        for user, role in zip(made, roles, strict=True):
            self.staff.setdefault(role, []).append(user)
        self.password_hash = password
        self.groups = {role: Group.objects.get(name=Role(role).label) for role in USERS}
        self._join_groups(made, roles)
        self.bulk(
            TOTPDevice, [TOTPDevice(user=u, name="Authenticator app", confirmed=True, key=TOTP_KEY) for u in made]
        )
        self.staff_everyone = made

    def _join_groups(self, users, roles):
        from qa_portal.models import User

        through = User.groups.through
        self.bulk(
            through, [through(user_id=u.pk, group_id=self.groups[r].pk) for u, r in zip(users, roles, strict=True)]
        )

    def provider_users(self):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from qa_portal.models import User

        regional, fewest = USERS["provider_user"]
        count = max(fewest, round(regional * self.size.scale))
        # The busiest providers have users (the busiest three); the rest one each, down the list.
        owners = [self.providers_list[0]] * 3 + self.providers_list[: max(0, count - 3)]
        made = [
            User(
                email=f"provider.user.{n + 1}@bench.example.org",
                full_name=texts.person(self.rng),
                job_title="Registered manager",
                password=self.password_hash,
                provider=provider,
            )
            for n, provider in enumerate(owners)
        ]
        self.bulk(User, made)
        self._join_groups(made, ["provider_user"] * len(made))
        self.bulk(
            TOTPDevice, [TOTPDevice(user=u, name="Authenticator app", confirmed=True, key=TOTP_KEY) for u in made]
        )
        self.provider_users_by_provider = defaultdict(list)
        for user in made:
            self.provider_users_by_provider[user.provider_id].append(user)
