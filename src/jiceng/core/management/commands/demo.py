"""`jiceng demo [--reset]`: build each app's demo contribution once (core.demo), or rebuild them all."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from jiceng.core import demo


class Command(BaseCommand):
    help = "Load the demo (each app's contribution) once, or rebuild it with --reset, and print the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Remove all units, staff and accounts, then rebuild.")

    def handle(self, *args, reset=False, **options):
        if pending_migrations():
            # A database never migrated (or behind the code): migrate first instead of a "no such table" traceback.
            self.stdout.write("The database is not migrated (or behind the code): running `jiceng migrate` first.")
            call_command("migrate", interactive=False, verbosity=0)
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


def pending_migrations(alias: str = DEFAULT_DB_ALIAS) -> list:
    """The migrations not yet applied to the database (all of them on a database never migrated)."""
    connection = connections[alias]
    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())
