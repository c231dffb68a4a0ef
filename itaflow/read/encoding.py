"""Decode the bytes of a text file: detect the encoding, never assume it.

Order matters: a byte-order mark wins; then UTF-16 without a BOM (betrayed by
its zero / 0x0E high bytes); then strict UTF-8; then the Thai legacy code page
cp874 (TIS-620 is a subset) when it yields mostly Thai letters; then line by line
(UTF-8 and cp874 lines mixed in one file, encoding ``utf-8+cp874``); last,
charset-normalizer's best guess. Returns ``None`` for bytes that are not text.
"""

from __future__ import annotations

import codecs

import charset_normalizer

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _is_thai_letter(ch: str) -> bool:
    return "\u0e01" <= ch <= "\u0e5b"


def looks_like_text(text: str) -> bool:
    """True when ``text`` is mostly printable: few control or replacement characters."""
    if not text:
        return False
    sample = text[:200_000]
    bad = sum(
        1
        for ch in sample
        if (ord(ch) < 32 and ch not in "\t\n\r\f\v") or ch == "\ufffd" or "\x7f" <= ch <= "\x9f"
    )
    return bad <= 1 + len(sample) // 100


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 LE/BE text without a BOM: the high byte of each unit is 0x00 (ASCII) or 0x0E (Thai)."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:20_000]
    even, odd = sample[0::2], sample[1::2]
    for high, codec in ((odd, "utf-16-le"), (even, "utf-16-be")):
        share = sum(1 for b in high if b in (0x00, 0x0E)) / len(high)
        if share > 0.8:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if looks_like_text(text):
                return text, codec
    return None


def _thai_share(text: str) -> float:
    """Share of Thai letters among the non-ASCII characters of ``text``."""
    non_ascii = [ch for ch in text if ord(ch) > 127]
    if not non_ascii:
        return 1.0
    return sum(1 for ch in non_ascii if _is_thai_letter(ch)) / len(non_ascii)


def decode(data: bytes) -> tuple[str, str] | None:
    """Return ``(text, encoding)`` or ``None`` when ``data`` is not text in any encoding we know."""
    for bom, codec in _BOMS:
        if data.startswith(bom):  # a BOM is strong evidence: a damaged byte is replaced, not fatal
            text = data[len(bom) :].decode(codec, errors="replace")
            return (text, codec) if looks_like_text(text) or not text.strip() else None
    found = _utf16_without_bom(data)
    if found is not None:
        return found
    if b"\x00" in data[:100_000]:
        return None
    strict = _strict(data, "utf-8")
    if strict is not None:
        return (strict, "utf-8") if looks_like_text(strict) else None
    strict = _strict(data, "cp874")
    if strict is not None and looks_like_text(strict) and _thai_share(strict) > 0.9:
        return strict, "cp874"
    # A few damaged bytes (a file cut mid-character, a stray byte) must not lose the file.
    for codec in ("utf-8", "cp874"):
        text = data.decode(codec, errors="replace")
        damaged = text.count("\ufffd")
        if damaged <= max(2, len(text) // 1000) and _thai_share(text) > 0.9:
            return text, codec
    mixed = _line_by_line(data)
    if mixed is not None:
        return mixed, MIXED
    best = charset_normalizer.from_bytes(data[:1_000_000]).best()
    if best is None:
        return None
    text = data.decode(best.encoding, errors="replace")
    return (text, best.encoding) if looks_like_text(text) else None


MIXED = "utf-8+cp874"


def _line_by_line(data: bytes) -> str | None:
    """A file pasted together from UTF-8 and cp874 parts (one office's template, another's
    rows): each line decoded on its own, UTF-8 first. Taken when every line decodes and
    the result is Thai text; a stray undecodable byte in a line becomes U+FFFD."""
    lines, damaged = [], 0
    for raw in data.split(b"\n"):
        line = _strict(raw, "utf-8")
        if line is None:
            line = _strict(raw, "cp874")
        if line is None:
            line = raw.decode("utf-8", errors="replace")
            damaged += line.count("\ufffd")
        lines.append(line)
    text = "\n".join(lines)
    if damaged > max(2, len(text) // 1000) or not looks_like_text(text):
        return None
    return text if _thai_share(text) > 0.9 else None


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None
