"""Applying from the job page (``POST /jobs/{id}/apply``) and reading the status after
(``GET /jobs/{id}/apply/{number}?k=…``): an H5 form for WeChat's in-app browser, no script.

The form drives the same step machine as the chat (``jobfeed.applications.flow``): the
consent, every field read by the conversation's parsers (a refused field shows the chat's
reason under it), the vacancy's screening questions, the filing, and the recruiter's card
through the ``Notifier``. Before any of that: the client address's limit, the signed
one-time form token, the honeypot; after the fields: the SMS code when a provider is wired
in, then the phone's limit. Refused input re-renders the form with the values kept (400).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from jinja2 import Environment
from markupsafe import Markup

from bot.web.limits import ApplyThrottle, client_address
from bot.web.signing import Signer, TokenCheck
from jobfeed.applications.flow import Conversation, Outcome, ResumeFlow, Stage, match_choice
from jobfeed.applications.models import SHORT_MAX, WEB, Application
from jobfeed.applications.repository import ApplicationRepository
from jobfeed.applications.verification import SmsCodes
from jobfeed.brokers.models import CODE
from jobfeed.brokers.repository import BrokerRepository
from jobfeed.models import Vacancy, utcnow
from jobfeed.notify import Notifier
from jobfeed.texts import Texts

log = logging.getLogger(__name__)

Again = Callable[..., web.Response]  # the form again: (status, notice, **errors)

REQUIRED = ("name", "phone", "age", "city")
OPTIONAL = (
    "desired_job",
    "desired_place",
    "skills",
    "experience_years",
    "expected_pay",
    "start_date",
)
HONEYPOT = "website"  # hidden from people; a bot that fills every field fills it too
MAX_INPUT = 500  # characters kept of any field (the parsers refuse long ones anyway)
# The chat's reply-keyboard answers stand in for an optional field left empty.
DEFAULT_BUTTONS = {
    "skills": "no_skills",
    "experience_years": "no_experience",
    "expected_pay": "pay_negotiable",
    "start_date": "start_now",
}


@dataclass
class Form:
    """What the page shows of the form: the values as typed, why fields were refused,
    a notice for the whole form, and a fresh token."""

    token: str
    consent: Markup
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, Markup] = field(default_factory=dict)
    notice: str | None = None
    consented: bool = False
    sms: bool = False


class WebApply:
    def __init__(
        self,
        flow: ResumeFlow,
        applications: ApplicationRepository,
        texts: Texts,
        *,
        env: Environment,
        signer: Signer,
        throttle: ApplyThrottle,
        notifier: Notifier,
        sms: SmsCodes | None = None,
        brokers: BrokerRepository | None = None,
    ) -> None:
        self._flow = flow
        self._applications = applications
        self._texts = texts
        self._env = env
        self._signer = signer
        self._throttle = throttle
        self._notifier = notifier
        self._sms = sms
        self._brokers = brokers

    def form(self, vacancy: Vacancy, **shown: Any) -> Form:
        consent = self._texts.render(
            "resume.consent_terms",
            employer=vacancy.employer,
            retention_days=self._flow.retention_days,
        )
        return Form(
            token=self._signer.issue(vacancy.id),
            consent=Markup(consent),  # the chat's own text: values escaped, <b> only
            sms=self._sms is not None,
            **shown,
        )

    # -- POST /jobs/{id}/apply ---------------------------------------------------------------

    async def submit(self, request: web.Request, vacancy: Vacancy) -> web.Response:
        post = await request.post()
        names = (*REQUIRED, *OPTIONAL, "code", "ref", *_question_names(vacancy))
        values = {name: str(post.get(name, ""))[:MAX_INPUT] for name in names}
        consented = post.get("consent") == "yes"

        def again(status: int, notice: str | None = None, **errors: str) -> web.Response:
            shown = self.form(
                vacancy,
                values=values,
                errors={name: self._reason(reason) for name, reason in errors.items()},
                notice=notice,
                consented=consented,
            )
            ref = values["ref"] if CODE.fullmatch(values["ref"]) else None
            return self._page("detail.html", status, v=vacancy, form=shown, apply=None, ref=ref)

        address = client_address(request, self._throttle.limits.trusted)
        if not await self._throttle.address_allows(address):
            return again(429, "too_often")
        check = await self._signer.redeem(str(post.get("token", "")), vacancy.id)
        if check is not TokenCheck.ok:
            return again(400, f"token_{check.value}")
        if post.get(HONEYPOT):
            log.info("A web application for vacancy %s filled the honeypot: refused", vacancy.id)
            return again(400, "refused")

        conversation = Conversation.for_vacancy(vacancy, WEB)
        if post.get("action") == "code" and self._sms is not None:
            return await self._send_code(conversation, values, again)
        if consented:
            self._flow.agree(conversation)
        errors = self._flow.fill(conversation, self._answers(vacancy, values))
        if not consented:
            errors["consent"] = "consent"
        for index, question in enumerate(vacancy.screening):
            if match_choice(question, values[f"q{index}"]) is None:
                errors[f"q{index}"] = "choice"
        if not errors and self._sms is not None:
            code = values["code"].strip()
            phone = conversation.draft["phone"]
            if not code:
                errors["code"] = "code_missing"
            elif not await self._sms.verify(phone, code):
                errors["code"] = "code_wrong"
        if errors:
            return again(400, "invalid", **errors)
        return await self._file(conversation, vacancy, values, again)

    async def _file(
        self, conversation: Conversation, vacancy: Vacancy, values: dict[str, str], again: Again
    ) -> web.Response:
        flow = self._flow
        applicant = self._signer.applicant_id(conversation.draft["phone"])
        _, step = await flow.begin(applicant, vacancy.id, WEB)
        if step.outcome is Outcome.unavailable:
            return self._ended(vacancy)
        if step.outcome is Outcome.already_applied:
            # Neither the number nor the status: whoever knows a phone number must not
            # read another person's application. The first answer's link shows them.
            return self._page("applied.html", 200, app=None, v=vacancy, outcome="again")
        if not await self._throttle.phone_allows(applicant):
            return again(429, "phone_limit")
        step = await flow.confirm(conversation, applicant)
        while step.stage is Stage.screening:
            step = await flow.screening(conversation, applicant, values[f"q{step.index}"])
        if step.stage is Stage.review:  # Redis failed the filing: nothing was promised
            return again(503, "busy")
        if step.outcome is Outcome.closed_meanwhile:
            return self._ended(vacancy)
        application = step.application
        if application is None:  # no other step ends a complete form
            return again(400, "invalid")
        code = values.get("ref", "")
        if self._brokers is not None and CODE.fullmatch(code):
            await self._brokers.attribute(applicant, code, utcnow())  # first touch only
        if step.outcome is Outcome.submitted:
            # As in the chat: filed first, then the recruiter's card (queued if it fails).
            await self._notifier.deliver_card(application)
        key = self._signer.status_key(vacancy.id, application.number)
        raise web.HTTPSeeOther(f"/jobs/{vacancy.id}/apply/{application.number}?k={key}&new=1")

    async def _send_code(
        self, conversation: Conversation, values: dict[str, str], again: Again
    ) -> web.Response:
        assert self._sms is not None
        refused = self._flow.fill(conversation, {"phone": values["phone"]})
        if refused:
            return again(400, "invalid", **refused)
        phone = conversation.draft["phone"]
        # Every text message costs and can be abused (SMS pumping): the phone's limit too.
        if not await self._throttle.phone_allows(self._signer.applicant_id(phone)):
            return again(429, "phone_limit")
        sent = await self._sms.send(phone)
        return again(200, "code_sent") if sent else again(503, "code_failed")

    def _answers(self, vacancy: Vacancy, values: Mapping[str, str]) -> dict[str, str]:
        """Every résumé field as the conversation would read it: the typed value, or for
        an optional field left empty the chat's button answer (or the vacancy's own)."""
        defaults = {
            "desired_job": vacancy.title[:SHORT_MAX],
            "desired_place": vacancy.city[:SHORT_MAX],
            **{
                name: self._texts.render("resume.button", name=button)
                for name, button in DEFAULT_BUTTONS.items()
            },
        }
        answers = {name: values[name] for name in REQUIRED}
        for name in OPTIONAL:
            answers[name] = values[name] if values[name].strip() else defaults[name]
        return answers

    def _reason(self, reason: str) -> Markup:
        """Why a field was refused: the chat's words for the parsers' reasons, the page's
        own for what only the form asks (the consent box, the SMS code)."""
        web_only = self._env.get_template("texts.html").module
        if hasattr(web_only, f"error_{reason}"):
            return Markup(getattr(web_only, f"error_{reason}")())
        return Markup(self._texts.render("resume.invalid", reason=reason))

    # -- GET /jobs/{id}/apply/{number} -------------------------------------------------------

    async def status(self, request: web.Request) -> web.Response:
        """The application's number, vacancy and status, for whoever has the link the
        form answered with (nothing personal is shown)."""
        vacancy_id, number = request.match_info["vacancy_id"], request.match_info["number"]
        key = request.query.get("k", "")
        application = await self._by_status_key(vacancy_id, number, key)
        if application is None:
            return self._page("error.html", 404, message="没有这个报名", detail=number[:20])
        link = f"/jobs/{vacancy_id}/apply/{number}?k={key}"
        outcome = "new" if request.query.get("new") else "status"
        shown = Markup(self._texts.render("resume.status_text", status=application.status.value))
        return self._page(
            "applied.html",
            200,
            app=application,
            outcome=outcome,
            link=link,
            status=shown,
            forget=f"/jobs/{vacancy_id}/apply/{number}/forget?k={key}",
        )

    # -- GET and POST /jobs/{id}/apply/{number}/forget ------------------------------------

    async def forget(self, request: web.Request) -> web.Response:
        """A web applicant's ``/forget``: whoever holds the status link can delete the
        personal data of every application filed with that phone (the applicant id is the
        phone's keyed hash). GET asks to confirm (no script: a form), POST deletes."""
        vacancy_id, number = request.match_info["vacancy_id"], request.match_info["number"]
        key = (await request.post()).get("k") if request.method == "POST" else None
        key = key if isinstance(key, str) else request.query.get("k", "")
        application = await self._by_status_key(vacancy_id, number, key)
        if application is None:
            return self._page("error.html", 404, message="没有这个报名", detail=number[:20])
        back = f"/jobs/{vacancy_id}/apply/{number}?k={key}"
        if request.method != "POST" or application.applicant_id is None:
            done = application.applicant_id is None
            return self._page("forget.html", 200, app=application, key=key, back=back, done=done)
        numbers = await self._applications.forget(application.applicant_id)
        log.info("A web applicant forgot: %d applications scrubbed", len(numbers))
        await self._notifier.forget_cards(numbers)
        return self._page(
            "forget.html", 200, app=application, key=key, back=back, done=True, count=len(numbers)
        )

    async def _by_status_key(self, vacancy_id: str, number: str, key: str) -> Application | None:
        """The application the signed status link names, else None."""
        if not (number.isdigit() and len(number) <= 12):
            return None
        if not self._signer.status_key_valid(vacancy_id, int(number), key):
            return None
        application = await self._applications.get(int(number))
        if application is None or application.vacancy_id != vacancy_id:
            return None
        return application

    def _ended(self, vacancy: Vacancy) -> web.Response:
        return self._page("error.html", 410, message="已结束，停止报名", detail=vacancy.title)

    def _page(self, template: str, code: int, **values: Any) -> web.Response:
        html = self._env.get_template(template).render(**values)
        return web.Response(text=html, status=code, content_type="text/html", charset="utf-8")


def _question_names(vacancy: Vacancy) -> list[str]:
    return [f"q{index}" for index in range(len(vacancy.screening))]
