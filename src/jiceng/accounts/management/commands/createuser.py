import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from jiceng.accounts import services
from jiceng.core.capabilities import Role
from jiceng.org.models import Unit


class Command(BaseCommand):
    help = "Create an account and give it a role in a unit (the first administrators are made this way)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--full-name", default="")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--unit", required=True, help="code of the unit the role applies to")
        parser.add_argument("--password", help="taken from the prompt when omitted")
        parser.add_argument(
            "--no-change-required", action="store_true", help="do not force a password change at first log-in"
        )

    def handle(self, *args, **opts):
        try:
            unit = Unit.objects.get(code=opts["unit"])
        except Unit.DoesNotExist:
            raise CommandError(f"unit: no unit with code {opts['unit']!r}") from None
        password = opts["password"] or getpass.getpass("密码 / password: ")
        try:
            # One transaction: an account whose role is refused (三员分立 …) is not left behind without it.
            with transaction.atomic():
                user = self._create(opts, password, unit)
        except ValidationError as exc:
            messages = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()) if hasattr(exc, "error_dict") else "; ".join(exc.messages)
            raise CommandError(messages) from None
        self.stdout.write(f"created {user.username} ({opts['role']} @ {unit.name})")

    @staticmethod
    def _create(opts, password, unit):
        user = services.user_create(
            actor=None,
            username=opts["username"],
            full_name=opts["full_name"],
            password=password,
            must_change_password=not opts["no_change_required"],
        )
        services.membership_grant(actor=None, user=user, unit=unit, role=opts["role"])
        return user
