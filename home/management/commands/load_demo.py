import importlib
import importlib.util

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts import demo as second_factor_demo
from boards import demo
from search import index as search


class Command(BaseCommand):
    help = "Load the fictional demo council (idempotent: loading twice changes nothing)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load the demo even under production settings (its passwords are published).",
        )

    def handle(self, *args, allow_production: bool = False, **options) -> None:
        if settings.PRODUCTION and not allow_production:
            raise CommandError(
                "Refusing to load demo accounts with published passwords into production. "
                "Use --allow-production on a throw-away demonstration server only."
            )
        accounts = demo.load()
        # Each app adds its part of the demo, after the council and its meetings.
        for config in apps.get_app_configs():
            if config.name != "boards" and importlib.util.find_spec(f"{config.name}.demo"):
                importlib.import_module(f"{config.name}.demo").load()
        # Parts of the demo are made without the services: index them all.
        search.rebuild()
        self.stdout.write(self.style.SUCCESS("Demo data loaded: Aldermoor City Council."))
        self.stdout.write("Demo sign-ins (username / password / role):")
        for account in accounts:
            self.stdout.write(f"  {account.username:<11} / {account.password} / {account.role}")
        self.stdout.write(second_factor_demo.INSTRUCTIONS)
