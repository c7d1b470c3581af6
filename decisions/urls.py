app_name = "decisions"

urlpatterns: list = [
    # Filled by the pages of decisions, the forward plan and call-in.
]
