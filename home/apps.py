from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "The site: home page, sign-in, desks"
