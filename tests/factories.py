import factory
from django.contrib.auth.models import Group

from providers.models import Provider
from qa_portal.models import User

PASSWORD = "correct-horse-battery"


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    name = factory.Sequence(lambda n: f"Provider {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    job_title = "Officer"
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(self, create, role, **kwargs):
        """UserFactory(role=Role.QA_LEAD) puts the user in that role's group."""
        if create and role is not None:
            self.groups.add(Group.objects.get(name=role.label))
