"""The bound file: a cover, a catalogue with page numbers, then every part, as ONE PDF.

Page numbers in the catalogue are the physical pages of the PDF (cover = page 1), and every
page carries its number at the foot, so a reader (or a test) can check one against the other.
Images become an A4 page each; PDFs are included page by page; a part that cannot be drawn
(a .docx or .xlsx file, an unreadable PDF) gets one page that names it and gives its SHA-256,
the electronic original being kept with the case.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from .layout import pdf_styles, register_font, sha256_bytes, text_pdf
from .library import cn_date_text


@dataclass
class Part:
    title: str
    content: bytes
    content_type: str  # application/pdf, image/jpeg, image/png, or anything else
    day: datetime.date | None = None
    note: str = ""
    first_page: int = field(default=0, init=False)
    last_page: int = field(default=0, init=False)


def _pages(content: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(content)).pages)


def _image_page(title: str, content: bytes) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    font = register_font()
    image = ImageReader(io.BytesIO(content))
    iw, ih = image.getSize()
    width, height = A4
    box_w, box_h = width - 30 * mm, height - 50 * mm
    scale = min(box_w / iw, box_h / ih)
    w, h = iw * scale, ih * scale
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont(font, 12)
    c.drawString(15 * mm, height - 18 * mm, title)
    c.drawImage(image, (width - w) / 2, height - 25 * mm - h, w, h)
    c.showPage()
    c.save()
    return buf.getvalue()


def _placeholder_page(part: Part, reason: str) -> bytes:
    lines = [f"={part.title}", f"|{reason}", f"|SHA-256：{sha256_bytes(part.content)}"]
    return text_pdf("\n".join(lines), title=part.title)


def part_pdf(part: Part) -> bytes:
    """The part as PDF pages."""
    if part.content_type == "application/pdf":
        try:
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(part.content))
            if reader.is_encrypted or not reader.pages:
                raise ValueError("encrypted or empty")
            return part.content
        except Exception:  # noqa: BLE001 — a broken upload must not stop the file
            return _placeholder_page(part, _("该PDF文件无法读取或已加密，电子原件随卷保存。"))
    if part.content_type in ("image/jpeg", "image/png"):
        try:
            return _image_page(part.title, part.content)
        except Exception:  # noqa: BLE001
            return _placeholder_page(part, _("该图片无法读取，电子原件随卷保存。"))
    return _placeholder_page(
        part,
        _("该材料为电子文件（%(t)s），无法打印成页，电子原件随卷保存。") % {"t": part.content_type},
    )


def _catalogue_pdf(parts: list[Part], *, heading: str) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = pdf_styles(register_font())
    cell = styles["plain"].clone("cell", fontSize=10.5, leading=14)
    rows = [
        [
            Paragraph(escape(h), cell)
            for h in (_("序号"), _("文件材料名称"), _("日期"), _("页号"), _("备注"))
        ]
    ]
    for i, part in enumerate(parts, 1):
        pages = (
            str(part.first_page)
            if part.first_page == part.last_page
            else f"{part.first_page}-{part.last_page}"
        )
        rows.append(
            [
                Paragraph(str(i), cell),
                Paragraph(escape(part.title), cell),
                Paragraph(cn_date_text(part.day), cell),
                Paragraph(pages, cell),
                Paragraph(escape(part.note), cell),
            ]
        )
    table = Table(rows, colWidths=[14 * mm, 78 * mm, 30 * mm, 18 * mm, 30 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
        )
    )
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=25 * mm,
        bottomMargin=25 * mm,
        title=heading,
    )
    note = _("页号为本卷宗PDF文件的页码（封面为第1页）。")
    doc.build(
        [
            Paragraph(escape(_("卷内目录")), styles["title"]),
            Paragraph(escape(heading), styles["plain"]),
            Paragraph(escape(note), styles["plain"]),
            Spacer(1, 4 * mm),
            table,
        ]
    )
    return buf.getvalue()


def _footer_stamps(count: int) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    font = register_font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for n in range(1, count + 1):
        c.setFont(font, 10)
        c.drawCentredString(A4[0] / 2, 10 * mm, f"— {n} —")
        c.showPage()
    c.save()
    return buf.getvalue()


def bundle_pdf(*, cover_text: str, parts: list[Part], heading: str) -> bytes:
    """Cover, catalogue (with the page numbers of each part), then the parts, numbered at the foot."""
    from pypdf import PdfReader, PdfWriter

    cover = text_pdf(cover_text, title=heading)
    bodies = [part_pdf(p) for p in parts]
    counts = [_pages(b) for b in bodies]
    catalogue_pages, catalogue = 1, b""
    for _attempt in range(5):  # the catalogue's own length shifts every number after it
        page = _pages(cover) + catalogue_pages + 1
        for part, n in zip(parts, counts, strict=True):
            part.first_page, part.last_page = page, page + n - 1
            page += n
        catalogue = _catalogue_pdf(parts, heading=heading)
        if _pages(catalogue) == catalogue_pages:
            break
        catalogue_pages = _pages(catalogue)
    writer = PdfWriter()
    for content in [cover, catalogue, *bodies]:
        writer.append(PdfReader(io.BytesIO(content)))
    stamps = PdfReader(io.BytesIO(_footer_stamps(len(writer.pages))))
    for page, stamp in zip(writer.pages, stamps.pages, strict=True):
        page.merge_page(stamp)
    writer.add_metadata({"/Title": heading})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
