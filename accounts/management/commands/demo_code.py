from django.core.management.base import BaseCommand

from accounts.demo import DEMO_SECRET, code_now


class Command(BaseCommand):
    help = "Print the demo staff accounts' authenticator-app code of the moment (new every 30 s)."

    def handle(self, *args, **options) -> None:
        self.stdout.write(code_now())
        self.stderr.write(f"(the demo key, for an authenticator app: {DEMO_SECRET})")
