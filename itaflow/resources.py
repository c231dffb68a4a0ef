"""Where the package's own rules and templates are, in a checkout and in an installed wheel.

The top-level ``expectations/`` and ``reports/`` folders are the source; a wheel
ships copies of them as package data under ``itaflow/_data/`` (see ``pyproject.toml``).
Reading them through ``importlib.resources`` means an installed itaflow (the
Airflow image, any non-editable install) finds its suites and templates without
the source tree.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

SOURCE_ROOT = Path(__file__).resolve().parents[1]


def _folder(name: str) -> Path:
    """The shipped copy when installed from a wheel, else the checkout's top-level folder."""
    shipped = Path(str(files("itaflow").joinpath("_data", name)))
    return shipped if shipped.is_dir() else SOURCE_ROOT / name


def expectations_dir() -> Path:
    """The Great Expectations suites (``expectations/*.json``)."""
    return _folder("expectations")


def templates_dir() -> Path:
    """The Jinja2 and Typst templates of the report and the mails (``reports/``)."""
    return _folder("reports")


def default_reports_out(home: Path) -> Path:
    """Generated reports: ``reports/out`` in a checkout, ``ITAFLOW_HOME/reports`` when installed."""
    if (SOURCE_ROOT / "reports").is_dir() and (SOURCE_ROOT / "pyproject.toml").is_file():
        return SOURCE_ROOT / "reports" / "out"
    return home / "reports"
