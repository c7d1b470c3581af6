from django import forms


def _code_field(*, label: str, help_text: str, required: str, numeric: bool) -> forms.CharField:
    attrs = {"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
    if numeric:
        attrs["inputmode"] = "numeric"
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=40,
        error_messages={
            "required": required,
            "max_length": "Enter the code as it is shown: no more than 40 characters.",
        },
        widget=forms.TextInput(attrs=attrs),
    )


class CodeForm(forms.Form):
    """The second factor by code: an authenticator app's, or a recovery code."""

    code = _code_field(
        label="Code",
        help_text="The 6-digit code your authenticator app shows now, or one of your recovery "
        "codes.",
        required="Enter the code from your authenticator app, or one of your recovery codes",
        numeric=False,
    )


class AppCodeForm(forms.Form):
    """The code an authenticator app shows, to confirm it has been set up."""

    code = _code_field(
        label="Code from the app",
        help_text="The 6 digits the app shows for this account.",
        required="Enter the 6-digit code the authenticator app shows",
        numeric=True,
    )
