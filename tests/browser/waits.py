"""Conditions browser tests wait on, never sleeps."""


def htmx_settled(page) -> None:
    """Wait until htmx has finished swapping and has processed every form it swapped in.

    htmx attaches its triggers to swapped-in content in the settle step, just after the swap; a
    keystroke before then goes to a form htmx does not yet know about.
    """
    page.wait_for_function(
        """() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')
            && [...document.querySelectorAll('form[hx-post]')]
                .every(form => form['htmx-internal-data'])"""
    )
