"""The house style of every workbook written: font, colours, borders and number formats.

One place for the looks the blank form, the summary, the findings report, the annotated copies
and the 催报名单 share, so that they cannot drift apart. openpyxl objects (``font``, ``BOX``,
``solid_fill``, ``severity_fill``) for the workbooks drawn with openpyxl; XlsxWriter format
properties (``XLSX_FONT``, ``XLSX_BOX``) and ``#RRGGBB`` colours for the summary.
"""

from __future__ import annotations

from typing import Literal

from openpyxl.styles import Border, Font, PatternFill, Side

from shuangyong_cli.model import Severity

# -- font -----------------------------------------------------------------------------------------

FONT_NAME = "宋体"
FONT_CHARSET = 134  # GB2312: tells Excel on any system that 宋体 is a Chinese font
#: The size of body text, in points.
BODY_SIZE = 11


def font(
    *,
    bold: bool = False,
    size: float = BODY_SIZE,
    color: str | None = None,
    underline: Literal["single"] | None = None,
) -> Font:
    """宋体 (marked as a Chinese font, so that Excel on any system picks a Chinese face)."""
    return Font(
        name=FONT_NAME,
        size=size,
        bold=bold,
        charset=FONT_CHARSET,
        color=color,
        underline=underline,
    )


#: The colour of a link's text, and of a conclusion that asks for changes.
LINK_COLOUR = "0563C1"
ALERT_COLOUR = "C00000"

# -- number formats -------------------------------------------------------------------------------

GENERAL = "General"
COUNT_FORMAT = "0"
MONEY_FORMAT = "0.00"
TEXT_FORMAT = "@"
DATE_FORMAT = "yyyy-mm-dd"

# -- borders --------------------------------------------------------------------------------------

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
UNDERLINE = Border(bottom=THIN)

# -- fills, as RRGGBB (openpyxl) ------------------------------------------------------------------

#: The blank form's grey (不适用 cells) and light blue (computed cells); the light blue is also
#: the fill of a list's header row.
NA_FILL = "D9D9D9"
CALC_FILL = "DDEBF7"
HEADER_FILL = "DDEBF7"

#: Fills per severity, shared by the findings report, the annotated copies and the summary. None
#: is a fill the blank form uses (grey 不适用 cells, light blue computed cells), so a marked cell is
#: never taken for one of the form's own: light red, light yellow and light green.
SEVERITY_FILL = {
    Severity.ERROR: "FFC7CE",
    Severity.WARNING: "FFEB9C",
    Severity.INFO: "C6EFCE",
}
#: The colours' names, for the legend of an annotated copy.
SEVERITY_COLOUR = {
    Severity.ERROR: "浅红色",
    Severity.WARNING: "浅黄色",
    Severity.INFO: "浅绿色",
}


def solid_fill(colour: str) -> PatternFill:
    """A solid fill of ``colour`` (the form's own fills, a header row)."""
    return PatternFill("solid", fgColor=colour)


def severity_fill(severity: Severity) -> PatternFill:
    """The fill of a cell marked with a finding of ``severity``."""
    colour = SEVERITY_FILL[severity]
    return PatternFill(fill_type="solid", start_color=colour, end_color=colour)


# -- the summary's looks, as XlsxWriter takes them ------------------------------------------------

#: Fills of the summary's sheets, as ``#RRGGBB``.
TOTAL_FILL = "#FCE4D6"
SUBTOTAL_FILL = "#FFF2CC"
XLSX_HEADER_FILL = f"#{HEADER_FILL}"
RED_FILL = "#F8CBAD"
YELLOW_FILL = "#FFE699"
XLSX_SEVERITY_FILL = {severity: f"#{colour[-6:]}" for severity, colour in SEVERITY_FILL.items()}

#: The body font and a thin box border, as XlsxWriter format properties.
XLSX_FONT = {"font_name": FONT_NAME, "font_size": BODY_SIZE, "font_charset": FONT_CHARSET}
XLSX_BOX = {"left": 1, "right": 1, "top": 1, "bottom": 1}
