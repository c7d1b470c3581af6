"""The tracking categories: the default set (domain.md), which officers and clerks change on
the categories page, and their colours: checked as hex, with the text legible on each."""

from django.core.validators import RegexValidator

# On a category's colour, text is black or white, whichever contrasts more: one of the two always
# reaches 4.5:1 (WCAG AA for text) with pure black and white, though not with a softer black.
DARK, LIGHT = "#000000", "#ffffff"

hex_colour = RegexValidator(
    r"^#[0-9A-Fa-f]{6}\Z",
    "Enter the colour as a hex code: # and six digits or letters A to F, for example #00703c.",
)


def _luminance(colour: str) -> float:
    """The relative luminance of a hex colour (WCAG 2.2)."""

    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """The contrast of two hex colours, from 1 to 21 (WCAG 2.2)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_colour_on(colour: str) -> str:
    """Which text contrasts more with ``colour``: "dark" or "light"."""
    dark, light = contrast_ratio(colour, DARK), contrast_ratio(colour, LIGHT)
    return "dark" if dark >= light else "light"


DEFAULT_CATEGORIES = [
    # (name, description, colour, ends monitoring)
    ("Achieved", "The recommendation has been achieved.", "#00703c", True),
    ("Stop monitoring", "No longer relevant, or superseded.", "#505a5f", True),
    ("Not fully implemented – obstacle", "An obstacle stands in the way.", "#d4351c", False),
    (
        "Not fully implemented – progress acceptable, continue monitoring",
        "Progress is acceptable.",
        "#f47738",
        False,
    ),
    (
        "Not fully implemented – progress not acceptable, continue monitoring",
        "Progress is not acceptable.",
        "#942514",
        False,
    ),
    ("Not for monitoring", "For example, the recommendation was not agreed.", "#1d70b8", True),
]


def ensure_default_categories(sender=None, **kwargs) -> None:
    """post_migrate: a new installation (or a flushed test database) gets the default set; a
    council's own set, once it has one, is never touched."""
    from simple_history.utils import bulk_create_with_history

    from recommendations.models import TrackingCategory

    if TrackingCategory.objects.exists():
        return
    bulk_create_with_history(
        [
            TrackingCategory(
                name=name,
                description=description,
                colour=colour,
                ends_monitoring=ends,
                position=position,
            )
            for position, (name, description, colour, ends) in enumerate(
                DEFAULT_CATEGORIES, start=1
            )
        ],
        TrackingCategory,
    )
