"""Pages of executive decisions, the forward plan and call-in (see views_*)."""
