"""Delete agenda pack parts that no build has used for a while (run it daily, e.g. from cron)."""

import datetime

from django.core.management.base import BaseCommand

from packs import services as packs


class Command(BaseCommand):
    help = "Delete cached agenda pack parts no build has used for --days days (default 30)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *, days: int, **options):
        pruned = packs.prune_cache(unused_for=datetime.timedelta(days=days))
        self.stdout.write(f"Deleted {pruned} cached part{'s' if pruned != 1 else ''}.")
