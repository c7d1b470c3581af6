from django.contrib.admin.apps import AdminConfig


class ScrutinyAdminConfig(AdminConfig):
    default_site = "scrutiny.admin.ScrutinyAdminSite"
