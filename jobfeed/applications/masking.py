"""Personal data as lists, logs and the API show it: phones keep 3 + 4 digits."""

from __future__ import annotations

from jobfeed.applications.models import Application, Resume


def mask_phone(phone: str) -> str:
    """``13812345678`` -> ``138****5678``; anything shorter is masked whole."""
    if len(phone) < 8:
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"


def masked_resume(resume: Resume) -> Resume:
    return resume.model_copy(update={"phone": mask_phone(resume.phone)})


def masked(application: Application) -> Application:
    if application.resume is None:
        return application
    return application.model_copy(update={"resume": masked_resume(application.resume)})
