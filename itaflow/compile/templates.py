"""The Jinja2 environments for the report and the mails (templates from ``itaflow.resources``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from itaflow.resources import templates_dir

TEMPLATES_DIR = templates_dir()


@lru_cache(maxsize=8)
def environment(templates_dir: Path = TEMPLATES_DIR, *, html: bool) -> jinja2.Environment:
    """HTML templates autoescape every value; plain-text ones (mail text, subjects) do not.

    ``StrictUndefined`` makes a misspelt variable an error at render time instead of
    a silently empty cell in a report sent to the province.
    """
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=html,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(name: str, context: dict, *, html: bool, templates_dir: Path = TEMPLATES_DIR) -> str:
    return environment(templates_dir, html=html).get_template(name).render(context)
