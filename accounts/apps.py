from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Second factor: passkeys, authenticator apps and recovery codes"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts.second_factor import remember_devices

        def signed_in(sender, request, user, **kwargs) -> None:
            if request is not None and hasattr(request, "session"):
                remember_devices(request, user)

        user_logged_in.connect(signed_in, dispatch_uid="accounts.remember_devices", weak=False)
