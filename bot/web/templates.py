"""The Jinja2 environment of the public pages (``templates/web/jobs``), autoescaped."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "web" / "jobs"
# XML 1.0 forbids these characters outright (escaping does not help); feeds do contain them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(value: Any) -> Any:
    # A macro's output is Markup, already escaped: it must stay Markup, or autoescaping
    # escapes it a second time (the pay showed as "&lt;span class=...&gt;" on the pages).
    if isinstance(value, Markup):
        return Markup(_NOT_XML.sub("", value))
    return _NOT_XML.sub("", value) if isinstance(value, str) else value


def page_environment(root: Path = TEMPLATES, *, hr_licence: str | None = None) -> Environment:
    env = Environment(
        loader=FileSystemLoader(root),
        autoescape=select_autoescape(["html", "xml"], default=True, default_for_string=True),
        undefined=StrictUndefined,
        finalize=_xml_safe,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["hr_licence"] = hr_licence or ""  # setting HR_LICENCE, on every job
    return env
