"""Letters as documents: template rendering, the frozen text, PDF (reportlab) and .docx (python-docx).

A letter's text is rendered once, when it is issued, from the union-editable
LetterTemplate; the PDF and .docx are always produced from that frozen text, so
a later template change never alters an issued letter.

The rendered text uses a line markup (see LetterTemplate): "=" centred title,
"#" bold heading, ">" right-aligned, "|" no indent, otherwise a body paragraph.
"""

from __future__ import annotations

import datetime
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.template import Context, Engine, TemplateSyntaxError
from django.utils.translation import gettext as _

DEFAULT_PDF_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"


def cn_date_text(day: datetime.date | None) -> str:
    """2026年3月5日, whatever the UI language: documents are always in Chinese."""
    if not day:
        return ""
    return f"{day.year}年{day.month}月{day.day}日"


def _engine() -> Engine:
    # A separate engine: no loaders, no app tags; debug=True so syntax errors carry a line number.
    return Engine(
        debug=True,
        autoescape=False,
        libraries={},
        builtins=["mediation.supervision.templatetags.letters"],
    )


def validate_template_source(source: str) -> None:
    """Refuse a template that does not compile, naming the line (shown in the admin)."""
    try:
        _engine().from_string(source)
    except TemplateSyntaxError as exc:
        info = getattr(exc, "template_debug", None) or {}
        line = info.get("line")
        if line:
            message = _("模板第 %(line)s 行有语法错误：%(error)s") % {"line": line, "error": exc}
        else:
            message = _("模板有语法错误：%(error)s") % {"error": exc}
        raise ValidationError({"source": message}, code="template_syntax") from exc


class LetterRenderError(Exception):
    pass


def render_text(source: str, context: dict) -> str:
    try:
        text = _engine().from_string(source).render(Context(context))
    except TemplateSyntaxError as exc:
        raise LetterRenderError(_("文书模板有语法错误，请在后台修改模板：%(error)s") % {"error": exc}) from exc
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return "\n".join(line for line in lines if line.strip())


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Block:
    style: str  # title / heading / right / plain / body
    text: str


def parse_blocks(text: str) -> list[Block]:
    blocks = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        marker, rest = line[0], line[1:].strip()
        style = {"=": "title", "#": "heading", ">": "right", "|": "plain"}.get(marker)
        blocks.append(Block(style, rest) if style else Block("body", line))
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


def _register_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    path = pdf_font_path()
    name = f"{_FONT_NAME}-{abs(hash(str(path)))}"
    if name not in pdfmetrics.getRegisteredFontNames():
        kwargs = {"subfontIndex": 0} if path.suffix.lower() == ".ttc" else {}
        pdfmetrics.registerFont(TTFont(name, str(path), **kwargs))
    return name


def letter_pdf(text: str, *, title: str = "") -> bytes:
    """A4 PDF of the frozen text with the CJK font embedded (so text extraction works)."""
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    font = _register_font()
    base = ParagraphStyle("body", fontName=font, fontSize=12, leading=21, firstLineIndent=24,
                          alignment=TA_JUSTIFY, wordWrap="CJK", spaceAfter=2)
    styles = {
        "title": ParagraphStyle("title", parent=base, fontSize=18, leading=28, alignment=TA_CENTER,
                                firstLineIndent=0, spaceAfter=6),
        "heading": ParagraphStyle("heading", parent=base, fontSize=13, firstLineIndent=0, spaceBefore=4),
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT, firstLineIndent=0),
        "plain": ParagraphStyle("plain", parent=base, firstLineIndent=0),
        "body": base,
    }
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=28 * mm, rightMargin=26 * mm,
                            topMargin=30 * mm, bottomMargin=25 * mm, title=title, author=title)
    story = []
    for block in parse_blocks(text):
        content = escape(block.text)
        if block.style == "heading":
            content = f"<b>{content}</b>"
        story.append(Paragraph(content, styles[block.style]))
        if block.style == "title":
            story.append(Spacer(1, 2 * mm))
    doc.build(story)
    return buf.getvalue()


# ---------------------------------------------------------------- DOCX


def letter_docx(text: str, *, title: str = "") -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    document.core_properties.title = title
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
        elif block.style == "body":
            para.paragraph_format.first_line_indent = Pt(28)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
