"""`jiceng demo [--reset]`: build each app's demo contribution once (core.demo), or rebuild them all."""

from django.core.management.base import BaseCommand

from jiceng.core import demo


class Command(BaseCommand):
    help = "Load the demo (each app's contribution) once, or rebuild it with --reset, and print the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Remove all units, staff and accounts, then rebuild.")

    def handle(self, *args, reset=False, **options):
        if reset:
            demo.reset()
        for contribution, built in demo.build():
            if built and contribution.built_message:
                self.stdout.write(self.style.SUCCESS(contribution.built_message))
            elif not built and contribution.present_message:
                self.stdout.write(contribution.present_message)
        for contribution in demo.ordered():
            if contribution.summary is not None:
                for line in contribution.summary():
                    self.stdout.write(line)
