"""The audiences of the permission matrices, and what each is expected to get."""

EVERYONE = [
    "public",
    "councillor",
    "other councillor",
    "officer",
    "other officer",
    "clerk",
    "administrator",
]
STAFF = ["officer", "other officer", "clerk", "administrator"]
EDITORS = ["officer", "clerk", "administrator"]
# Who reads a board's drafts and exempt papers: its own officer, clerks and administrators. An
# officer of another board does not (least privilege, unless the council's details say so).
DRAFT_READERS = ["officer", "clerk", "administrator"]


def expect(allowed, refused=403, public=302) -> dict[str, int]:
    """200 for the allowed; ``refused`` for the rest, and ``public`` for the public if refused."""
    result = {name: (200 if name in allowed else refused) for name in EVERYONE}
    if "public" not in allowed:
        result["public"] = public
    return result
