"""Valid résumés and drafts for repository tests."""

from __future__ import annotations

from jobfeed.applications.models import (
    ApplicationDraft,
    Attachment,
    Consent,
    FileKind,
    Resume,
    ScreeningAnswer,
)


def resume(user_id: int, *, phone: str = "13812345678", name: str = "张三") -> Resume:
    return Resume(
        user_id=user_id,
        name=name,
        phone=phone,
        age=35,
        city="天津",
        desired_job="电焊工",
        desired_place="天津",
        skills="焊工证",
        experience_years=3,
        expected_pay="8000元/月",
        start_date="随时",
        attachment=Attachment(
            channel="telegram",
            ref="BQAC-file",
            mime_type="application/pdf",
            size=1000,
            kind=FileKind.pdf,
        ),
    )


def draft(
    user_id: int,
    vacancy_id: str = "weld-1",
    *,
    recruiter_id: int | None = 700001,
    qualified: bool = True,
    source: str = "telegram",
) -> ApplicationDraft:
    return ApplicationDraft(
        source=source,
        vacancy_id=vacancy_id,
        vacancy_title="电焊工",
        employer="华北铝业",
        recruiter_id=recruiter_id,
        resume=resume(user_id, phone=f"138{user_id % 100_000_000:08d}"),
        consent=Consent(employer="华北铝业", vacancy_id=vacancy_id, retention_days=180),
        screening=[ScreeningAnswer(question="有电工证吗？", answer="是", qualified=qualified)],
    )
