from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": (
            "Enter a correct username and password. Both are case-sensitive. "
            "After 10 wrong attempts in 5 minutes the account is locked for 5 minutes."
        ),
        "inactive": "This account has been switched off. Ask your administrator.",
    }
