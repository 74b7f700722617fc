from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "jiceng.inbox"
    label = "inbox"
    verbose_name = _("Inbox")

    def ready(self):
        from jiceng.accounts import context_processors

        from .selectors import unread_count

        context_processors.register_counter("inbox:inbox", unread_count)
