"""The office's list of LAO e-mail addresses (``lao_code,email``), kept as a CSV it edits.

Several addresses for one LAO are several rows (or ``;`` inside one cell). Lines
starting with ``#`` are comments. A row that is not usable is reported, not guessed.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Contacts:
    """Addresses by lao_code, and the rows that could not be used (line number, why)."""

    emails: dict[str, list[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def by_email(self) -> dict[str, str]:
        """Sender address (casefolded) → lao_code, for tying a file to its sender."""
        return {e.casefold(): code for code, emails in self.emails.items() for e in emails}


def read_contacts(path: Path) -> Contacts:
    """Read the contacts CSV; a missing file is an empty list (nobody has an address)."""
    from itaflow.mail import addresses

    found = Contacts()
    if not path.is_file():
        return found
    with path.open(encoding="utf-8-sig", newline="") as fh:
        lines = [line for line in fh if not line.lstrip().startswith("#")]
    for n, row in enumerate(csv.DictReader(lines), start=2):
        code = (row.get("lao_code") or "").strip()
        for email in (row.get("email") or "").replace(",", ";").split(";"):
            email = email.strip()
            if not code or not email:
                continue
            try:
                addresses(email)
            except ValueError:
                found.problems.append(f"แถว {n}: อีเมลไม่ถูกต้อง {email!r} / bad e-mail address")
                continue
            found.emails.setdefault(code, [])
            if email not in found.emails[code]:
                found.emails[code].append(email)
    return found
