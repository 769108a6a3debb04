"""Models of the core: counters that every limit shares."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Counter(models.Model):
    """A named counter that expires (the lookup limits, ``pilot_portal.core.counters``).

    In the database, not in Redis: an outage of the cache can neither open a limit nor make a page hang.
    """

    key = models.CharField(_("key"), max_length=250, unique=True)
    value = models.IntegerField(_("value"), default=0)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")

    def __str__(self) -> str:
        return f"{self.key} = {self.value}"
