"""The annual statistics report (年度统计报表) for the union's review: .xlsx, .docx and PDF (A4).

Figures come from `selectors.annual_table` only. Layout of a 工作报告 table: first the main
indicators of the city (or the county) — this year, last year, 同比 — then one block of three
rows per county (本年 / 上年 / 同比) across the same indicators. Documents are always in Chinese.
"""

from __future__ import annotations

import io
from urllib.parse import quote

from django.conf import settings

from mediation.lib.documents.layout import register_font

from .selectors import REPORT_COLUMNS, Headline, change

FORMATS = {
    "xlsx": ("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "docx": ("Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "pdf": ("PDF", "application/pdf"),
}
ROW_KINDS = (("current", "本年"), ("previous", "上年"), ("change", "同比"))


def title(table: dict) -> str:
    return (
        f"{settings.CONCORD_CITY}{'' if table['county'] is None else table['scope_label']}"
        f"{table['year']}年劳动争议调解工作统计表"
    )


def filename(table: dict, fmt: str) -> str:
    return quote(f"{title(table)}.{fmt}")


def value_of(h: Headline, key: str):
    return getattr(h, key)


def text(value, kind: str) -> str:
    """How a figure is written in the .docx and PDF."""
    if value is None:
        return "—"
    if kind == "money":
        return f"{value:,.2f}"
    if kind == "rate":
        return f"{float(value) * 100:.1f}%"
    return str(value)


def change_text(value) -> str:
    return "—" if value is None else f"{value * 100:+.1f}%"


def _triples(pair: dict):
    """(label, [cells]) for 本年, 上年, 同比 of one scope."""
    cur, prev = pair["current"], pair["previous"]
    yield "本年", [(value_of(cur, k), kind) for k, _l, kind in REPORT_COLUMNS]
    yield "上年", [(value_of(prev, k), kind) for k, _l, kind in REPORT_COLUMNS]
    yield (
        "同比",
        [
            (change(value_of(cur, k), value_of(prev, k)), "change")
            for k, _l, _kind in REPORT_COLUMNS
        ],
    )


def rows(table: dict) -> list[tuple[str, str, list]]:
    """The per-county block, then the total: (scope, 本年/上年/同比, [(value, kind)…])."""
    out = []
    for row in table["rows"]:
        for label, cells in _triples(row):
            out.append((row["label"], label, cells))
    for label, cells in _triples(table["total"]):
        out.append(("合计", label, cells))
    return out


def summary(table: dict) -> list[tuple[str, str, str, str]]:
    cur, prev = table["total"]["current"], table["total"]["previous"]
    return [
        (
            label,
            text(value_of(cur, k), kind),
            text(value_of(prev, k), kind),
            change_text(change(value_of(cur, k), value_of(prev, k))),
        )
        for k, label, kind in REPORT_COLUMNS
    ]


def _cell_text(value, kind) -> str:
    return change_text(value) if kind == "change" else text(value, kind)


def render(table: dict, fmt: str) -> bytes:
    return {"xlsx": xlsx, "docx": docx, "pdf": pdf}[fmt](table)


# ---------------------------------------------------------------- .xlsx


def xlsx(table: dict) -> bytes:
    """Two sheets: 主要指标 (indicator × 本年/上年/同比) and 分县区 (the per-county block).
    Numbers are stored as numbers (money to the fen, rates as fractions with a % format)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "主要指标"
    ws.append([title(table)])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["指标", "本年", "上年", "同比"])
    cur, prev = table["total"]["current"], table["total"]["previous"]
    for key, label, kind in REPORT_COLUMNS:
        a, b = value_of(cur, key), value_of(prev, key)
        ws.append([label, _number(a, kind), _number(b, kind), change(a, b)])
        _format_row(ws, ws.max_row, kind, first_col=2, last_col=3)
        ws.cell(ws.max_row, 4).number_format = "+0.0%;-0.0%;0.0%"
    ws.column_dimensions["A"].width = 22

    wc = wb.create_sheet("分县区")
    wc.append([title(table)])
    wc["A1"].font = Font(bold=True, size=14)
    wc.append(["县区", "项目"] + [label for _k, label, _kind in REPORT_COLUMNS])
    for scope, label, cells in rows(table):
        wc.append(
            [scope, label] + [v if kind == "change" else _number(v, kind) for v, kind in cells]
        )
        r = wc.max_row
        for i, (_v, kind) in enumerate(cells, start=3):
            wc.cell(r, i).number_format = {
                "money": "#,##0.00",
                "rate": "0.0%",
                "change": "+0.0%;-0.0%;0.0%",
            }.get(kind, "0")
    for row in wc.iter_rows(min_row=2, max_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True)
            cell.font = Font(bold=True)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _number(value, kind):
    if value is None:
        return None
    if kind == "money":
        return float(value)
    return value


def _format_row(ws, row, kind, *, first_col, last_col):
    fmt = {"money": "#,##0.00", "rate": "0.0%"}.get(kind, "0")
    for col in range(first_col, last_col + 1):
        ws.cell(row, col).number_format = fmt


# ---------------------------------------------------------------- .docx


def docx(table: dict) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = Document()
    document.core_properties.title = title(table)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)  # A4
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    normal = document.styles["Normal"]
    normal.font.name = "宋体"
    normal.font.size = Pt(9)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")

    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(title(table))
    run.bold, run.font.size = True, Pt(16)

    document.add_paragraph("一、主要指标")
    t = document.add_table(rows=1, cols=4)
    t.style = "Table Grid"
    for cell, label in zip(t.rows[0].cells, ["指标", "本年", "上年", "同比"], strict=True):
        cell.text = label
    for line in summary(table):
        cells = t.add_row().cells
        for cell, value in zip(cells, line, strict=True):
            cell.text = value

    document.add_paragraph("二、分县区统计")
    header = ["县区", "项目"] + [label for _k, label, _kind in REPORT_COLUMNS]
    t = document.add_table(rows=1, cols=len(header))
    t.style = "Table Grid"
    for cell, label in zip(t.rows[0].cells, header, strict=True):
        cell.text = label
    for scope, label, cells in rows(table):
        out = t.add_row().cells
        out[0].text, out[1].text = scope, label
        for cell, (value, kind) in zip(out[2:], cells, strict=True):
            cell.text = _cell_text(value, kind)
    document.add_paragraph(
        "统计口径见平台“数据驾驶舱”页脚注及 docs/statistics.md：受理以收件日期计，办结以结案日期计，"
        "追回金额为实际履行（已付分期款及当场履行）金额，集体争议计为一件、人数按实际劳动者计。"
    )
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------- PDF


def pdf(table: dict) -> bytes:
    """A4 landscape with the CJK font embedded (text extraction works: pdftotext)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = register_font()
    base = ParagraphStyle("b", fontName=font, fontSize=9, leading=12, wordWrap="CJK")
    head = ParagraphStyle("h", parent=base, fontSize=16, leading=22, alignment=1)
    cell = ParagraphStyle("c", parent=base, fontSize=7, leading=9)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=title(table),
        author=settings.CONCORD_CITY,
    )
    style = TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), font),
            ("FONTSIZE", (0, 0), (-1, -1), 8),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
            ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ]
    )
    story = [
        Paragraph(title(table), head),
        Spacer(1, 4 * mm),
        Paragraph("一、主要指标", base),
        Spacer(1, 2 * mm),
    ]
    story.append(
        Table(
            [["指标", "本年", "上年", "同比"], *summary(table)],
            colWidths=[50 * mm, 40 * mm, 40 * mm, 30 * mm],
            style=style,
            repeatRows=1,
        )
    )
    story += [Spacer(1, 5 * mm), Paragraph("二、分县区统计", base), Spacer(1, 2 * mm)]
    header = [
        Paragraph(x, cell)
        for x in ["县区", "项目"] + [label for _k, label, _kind in REPORT_COLUMNS]
    ]
    data = [header] + [
        [scope, label] + [_cell_text(v, kind) for v, kind in cells]
        for scope, label, cells in rows(table)
    ]
    widths = [20 * mm, 12 * mm] + [(273 - 32) / len(REPORT_COLUMNS) * mm] * len(REPORT_COLUMNS)
    story.append(Table(data, colWidths=widths, style=style, repeatRows=1))
    doc.build(story)
    return buf.getvalue()
