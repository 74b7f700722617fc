from django.db import models

from jiceng.core.ledger import LedgerRow


class Case(LedgerRow):
    open_states = ("open", "paused")
    subject = models.CharField(max_length=100)

    def __str__(self):
        return self.subject


class Patrol(LedgerRow):
    place = models.CharField(max_length=100)

    def __str__(self):
        return self.place
