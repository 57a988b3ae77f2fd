"""Rendered document text → A4 PDF (reportlab, CJK font embedded) and A4 .docx (python-docx).

The text uses a line markup: "=" centred title, "#" bold heading, ">" right-aligned,
"|" no indent, otherwise a body paragraph. "~" starts a line of the signatures block
(no indent, extra space above, so there is room to sign).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

DEFAULT_PDF_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
MARKERS = {"=": "title", "#": "heading", ">": "right", "|": "plain", "~": "sign"}


def sha256_bytes(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def sha256_text(text: str) -> str:
    return sha256_bytes(text.encode("utf-8"))


@dataclass
class Block:
    style: str  # title / heading / right / plain / sign / body
    text: str


def parse_blocks(text: str) -> list[Block]:
    blocks = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        style = MARKERS.get(line[0])
        blocks.append(Block(style, line[1:].strip()) if style else Block("body", line))
    return blocks


# ---------------------------------------------------------------- PDF

_FONT_NAME = "ConcordCJK"


def pdf_font_path() -> Path:
    path = Path(getattr(settings, "CONCORD_PDF_FONT", "") or DEFAULT_PDF_FONT)
    if not path.is_file():
        raise ImproperlyConfigured(
            _(
                "找不到生成PDF所需的中文字体文件：%(path)s。请安装 fonts-wqy-microhei"
                "（apt-get install fonts-wqy-microhei），或用 CONCORD_PDF_FONT 设置 TTF/TTC 字体路径。"
            )
            % {"path": path}
        )
    return path


def register_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    path = pdf_font_path()
    name = f"{_FONT_NAME}-{abs(hash(str(path)))}"
    if name not in pdfmetrics.getRegisteredFontNames():
        kwargs = {"subfontIndex": 0} if path.suffix.lower() == ".ttc" else {}
        pdfmetrics.registerFont(TTFont(name, str(path), **kwargs))
    return name


def pdf_styles(font: str) -> dict:
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle(
        "body",
        fontName=font,
        fontSize=12,
        leading=21,
        firstLineIndent=24,
        alignment=TA_JUSTIFY,
        wordWrap="CJK",
        spaceAfter=2,
    )
    return {
        "title": ParagraphStyle(
            "title",
            parent=base,
            fontSize=18,
            leading=28,
            alignment=TA_CENTER,
            firstLineIndent=0,
            spaceAfter=6,
        ),
        "heading": ParagraphStyle(
            "heading", parent=base, fontSize=13, firstLineIndent=0, spaceBefore=4
        ),
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT, firstLineIndent=0),
        "plain": ParagraphStyle("plain", parent=base, firstLineIndent=0),
        "sign": ParagraphStyle("sign", parent=base, firstLineIndent=0, spaceBefore=14),
        "body": base,
    }


# Chinese closing punctuation that may not start a line (GB/T 15834 标点符号用法 / 避头尾).
# reportlab's CJK wrapping hangs such a character in the right margin instead of carrying it
# to the next line, but its list (reportlab.lib.textsplit.ALL_CANNOT_START) is the Japanese
# one: it lacks 》；，：”！？ and others, so those could open a line.
CANNOT_START = "。，、；：？！）》」』】〕〉”’…—·%‰℃"


def _kinsoku() -> None:
    """Add the Chinese characters to the list both of reportlab's CJK wrappers read
    (textsplit.dumbSplit for a plain paragraph, paragraph.cjkFragSplit for mixed fragments)."""
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    for module in (textsplit, paragraph):
        missing = "".join(c for c in CANNOT_START if c not in module.ALL_CANNOT_START)
        if missing:
            module.ALL_CANNOT_START = module.ALL_CANNOT_START + missing


def text_pdf(text: str, *, title: str = "") -> bytes:
    """A4 PDF of the rendered text with the CJK font embedded (so text extraction works)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    _kinsoku()
    styles = pdf_styles(register_font())
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=28 * mm,
        rightMargin=26 * mm,
        topMargin=30 * mm,
        bottomMargin=25 * mm,
        title=title,
        author=title,
    )
    story = []
    for block in parse_blocks(text):
        content = escape(block.text)
        if block.style == "heading":
            content = f"<b>{content}</b>"
        story.append(Paragraph(content, styles[block.style]))
        if block.style == "title":
            story.append(Spacer(1, 2 * mm))
    if not story:
        story.append(Spacer(1, 1))
    doc.build(story)
    return buf.getvalue()


# ---------------------------------------------------------------- DOCX


def text_docx(text: str, *, title: str = "") -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = Document()
    document.core_properties.title = title
    for section in document.sections:  # A4, as the PDF
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.top_margin, section.bottom_margin = Mm(30), Mm(25)
    normal = document.styles["Normal"]
    normal.font.name = "仿宋"
    normal.font.size = Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")
    for block in parse_blocks(text):
        para = document.add_paragraph()
        run = para.add_run(block.text)
        run.font.name = "仿宋"
        run._element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")
        if block.style == "title":
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run.bold = True
            run.font.size = Pt(20)
        elif block.style == "heading":
            run.bold = True
        elif block.style == "right":
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif block.style == "sign":
            para.paragraph_format.space_before = Pt(18)
        elif block.style == "body":
            para.paragraph_format.first_line_indent = Pt(28)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
