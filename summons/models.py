"""The summons to a meeting and its dispatch list (built under issue 16, point 1)."""
