from django.db import models


class Provider(models.Model):
    """A care provider organisation the authority commissions."""

    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
