from django.http import HttpRequest

from accounts.second_factor import Step, step_of


def second_factor(request: HttpRequest) -> dict:
    """Whether the session still has to give its second factor: pages then offer nothing else."""
    return {"second_factor_pending": step_of(request) != Step.DONE}
