from django.apps import AppConfig


class SummonsConfig(AppConfig):
    name = "summons"
    verbose_name = "Summonses: agendas sent to a body's members, and the dispatch list"
