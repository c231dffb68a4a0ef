"""Honour ``/ActualText`` marked content, which pdfminer ignores.

Typst (and Word for some ligatures) writes Thai clusters as glyph runs wrapped in
``/Span <</ActualText (ดำ)>> BDC ... EMC`` because one glyph cannot map back to
the cluster's text; its ToUnicode map is only a fallback. Without this, a
Typst-made PDF reads as "ดำ(cid:10)า". The first character of such a span takes
the span's text and box, the others become empty.
"""

from __future__ import annotations

from pdfminer.layout import LTChar
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.utils import decode_text
from pdfplumber.page import PDFPageAggregatorWithMarkedContent


class _Aggregator(PDFPageAggregatorWithMarkedContent):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.spans: list[tuple[str | None, list[LTChar]]] = []

    def begin_tag(self, tag, props=None) -> None:
        super().begin_tag(tag, props)
        actual = props.get("ActualText") if isinstance(props, dict) else None
        if isinstance(actual, bytes):
            actual = decode_text(actual)
        self.spans.append((actual if isinstance(actual, str) else None, []))

    def end_tag(self) -> None:
        super().end_tag()
        if not self.spans:
            return
        actual, chars = self.spans.pop()
        if actual is None:
            if self.spans:  # an inner plain span: its chars belong to the outer one
                self.spans[-1][1].extend(chars)
            return
        if any(a is not None for a, _ in self.spans):
            self.spans[-1][1].extend(chars)  # only the outermost ActualText applies
            return
        if chars:
            first = chars[0]
            first._text = actual
            first.set_bbox(
                (
                    min(c.x0 for c in chars),
                    min(c.y0 for c in chars),
                    max(c.x1 for c in chars),
                    max(c.y1 for c in chars),
                )
            )
            for c in chars[1:]:
                c._text = ""

    def render_char(self, *args, **kwargs) -> float:
        adv = super().render_char(*args, **kwargs)
        if self.spans and self.cur_item._objs and isinstance(self.cur_item._objs[-1], LTChar):
            self.spans[-1][1].append(self.cur_item._objs[-1])
        return adv


def prepare_layout(page) -> None:
    """Lay ``page`` out with ActualText honoured, before pdfplumber does it without."""
    device = _Aggregator(page.pdf.rsrcmgr, pageno=page.page_number, laparams=page.pdf.laparams)
    PDFPageInterpreter(page.pdf.rsrcmgr, device).process_page(page.page_obj)
    page._layout = device.get_result()
