"""The default tracking categories (domain.md); councils change them in the admin."""

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
    from recommendations.models import TrackingCategory

    if TrackingCategory.objects.exists():
        return
    TrackingCategory.objects.bulk_create(
        TrackingCategory(
            name=name,
            description=description,
            colour=colour,
            ends_monitoring=ends,
            position=position,
        )
        for position, (name, description, colour, ends) in enumerate(DEFAULT_CATEGORIES, start=1)
    )
