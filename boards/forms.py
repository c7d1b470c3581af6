from django.contrib.auth.forms import AuthenticationForm
from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Django's form rendering with our layout: an error summary linking to each field, then
    each field as label, hint, error message and input (the GOV.UK pattern)."""

    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": (
            "Enter a correct username and password. Both are case-sensitive. "
            "After 10 wrong attempts in 5 minutes the account is locked for 5 minutes."
        ),
        "inactive": "This account has been switched off. Ask your administrator.",
    }
