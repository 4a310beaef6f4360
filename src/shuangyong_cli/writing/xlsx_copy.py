"""Copying an openpyxl worksheet into an XlsxWriter worksheet, through both libraries' public API.

The form (``template.build_template``) is drawn once, with openpyxl; a writer that saves with
XlsxWriter copies the drawn sheet rather than drawing it a second time: values, each cell's look
(font, fill, border, alignment, number format, quote prefix, locked or hidden), merged ranges,
column widths, row heights, freeze panes, autofilter, data validations, print setup (paper,
orientation, fit, margins, centring, header and footer, print area and titles) and sheet
protection.

``FormatCache`` gives one XlsxWriter ``Format`` per distinct set of properties; ``cell_props``
says which properties an openpyxl cell's style stands for. Text is always written as a string
(``write_string``, cleaned by ``xlsx_text.clean_text``), never as a formula.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.utils.cell import column_index_from_string, range_boundaries
from openpyxl.worksheet.worksheet import Worksheet
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook as XlsxBook
from xlsxwriter.worksheet import Worksheet as XlsxSheet

from shuangyong_cli.writing.cell_text import clean_text

#: XlsxWriter adds 5 pixels of padding to a width given in characters (as Excel does when a
#: user types a width); openpyxl writes the number as it is. A width less this padding is
#: written as openpyxl wrote it.
WIDTH_PADDING = 5 / 7

_BORDERS = {
    "thin": 1, "medium": 2, "dashed": 3, "dotted": 4, "thick": 5, "double": 6, "hair": 7,
    "mediumDashed": 8, "dashDot": 9, "mediumDashDot": 10, "dashDotDot": 11,
    "mediumDashDotDot": 12, "slantDashDot": 13,
}  # fmt: skip
_ALIGN = {
    "left": "left", "center": "center", "right": "right", "fill": "fill", "justify": "justify",
    "centerContinuous": "center_across", "distributed": "distributed",
}  # fmt: skip
_VALIGN = {
    "top": "top", "center": "vcenter", "bottom": "bottom", "justify": "vjustify",
    "distributed": "vdistributed",
}  # fmt: skip
_VALIDATE = {
    "whole": "integer", "decimal": "decimal", "list": "list", "date": "date", "time": "time",
    "textLength": "length", "custom": "custom",
}  # fmt: skip
_CRITERIA = {
    "between": "between", "notBetween": "not between", "equal": "==", "notEqual": "!=",
    "greaterThan": ">", "lessThan": "<", "greaterThanOrEqual": ">=", "lessThanOrEqual": "<=",
}  # fmt: skip

Props = tuple[tuple[str, Any], ...]


class FormatCache:
    """One XlsxWriter format per distinct set of properties (a property dict as
    ``Workbook.add_format`` takes it); no properties means the default format (``None``)."""

    def __init__(self, book: XlsxBook) -> None:
        self._book = book
        self._formats: dict[Props, Format] = {}

    def get(self, props: dict[str, Any]) -> Format | None:
        if not props:
            return None
        key = tuple(sorted(props.items()))
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = self._formats[key] = self._book.add_format(dict(props))
        return fmt


def _rgb(colour: Any) -> str | None:
    """``#RRGGBB`` of an openpyxl colour given as ARGB, or None (theme and indexed colours)."""
    rgb = getattr(colour, "rgb", None) if colour is not None else None
    if isinstance(rgb, str) and len(rgb) in (6, 8):
        return "#" + rgb[-6:]
    return None


def cell_props(cell: Cell | MergedCell) -> dict[str, Any]:
    """The XlsxWriter format properties of an openpyxl cell's style ({} for the default)."""
    if not cell.has_style:
        return {}
    props: dict[str, Any] = {}
    if cell.font is not None:
        _font_props(cell.font, props)
    fill = cell.fill
    if getattr(fill, "fill_type", None) == "solid":
        props["pattern"] = 1
        colour = _rgb(fill.fgColor)
        if colour is not None:
            props["fg_color"] = colour
    _border_props(cell.border, props)
    _alignment_props(cell.alignment, props)
    if cell.number_format and cell.number_format != "General":
        props["num_format"] = cell.number_format
    if cell.quotePrefix:
        props["quote_prefix"] = True
    protection = cell.protection
    if not protection.locked:
        props["locked"] = False
    if protection.hidden:
        props["hidden"] = True
    return props


def _font_props(font: Any, props: dict[str, Any]) -> None:
    if font.name:
        props["font_name"] = font.name
    if font.sz:
        props["font_size"] = float(font.sz)
    if font.b:
        props["bold"] = True
    if font.i:
        props["italic"] = True
    if font.u:
        props["underline"] = {"single": 1, "double": 2}.get(font.u, 1)
    if font.strike:
        props["font_strikeout"] = True
    if font.charset is not None:
        props["font_charset"] = int(font.charset)
    colour = _rgb(font.color)
    if colour is not None and colour.upper() != "#000000":
        props["font_color"] = colour


def _border_props(border: Any, props: dict[str, Any]) -> None:
    for side in ("left", "right", "top", "bottom"):
        edge = getattr(border, side, None)
        style = getattr(edge, "style", None)
        if style:
            props[side] = _BORDERS.get(style, 1)
            colour = _rgb(getattr(edge, "color", None))
            if colour is not None and colour.upper() != "#000000":
                props[f"{side}_color"] = colour


def _alignment_props(al: Any, props: dict[str, Any]) -> None:
    if al.horizontal in _ALIGN:
        props["align"] = _ALIGN[al.horizontal]
    if al.vertical in _VALIGN:
        props["valign"] = _VALIGN[al.vertical]
    if al.wrap_text:
        props["text_wrap"] = True
    if al.shrink_to_fit:
        props["shrink"] = True
    if al.indent:
        props["indent"] = int(al.indent)
    if al.text_rotation:
        props["rotation"] = int(al.text_rotation)


def write_value(
    ws: XlsxSheet, row: int, col: int, value: Any, fmt: Format | None, *, formula: bool = False
) -> None:
    """Write one value at (``row``, ``col``), 0-based: text always as a string."""
    if value is None or value == "":
        if fmt is not None:
            ws.write_blank(row, col, None, fmt)
    elif isinstance(value, str):
        if formula:
            ws.write_formula(row, col, value, fmt)
        else:
            ws.write_string(row, col, clean_text(value), fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, (int, float, Decimal)):
        ws.write_number(row, col, float(value), fmt)
    elif isinstance(value, (dt.datetime, dt.date, dt.time)):
        ws.write_datetime(row, col, value, fmt)
    else:
        ws.write_string(row, col, clean_text(str(value)), fmt)


def _ref_bounds(ref: str) -> tuple[int, int, int, int]:
    """0-based (first row, first col, last row, last col) of an A1 range (a sheet name and
    ``$`` signs allowed)."""
    ref = ref.rsplit("!", 1)[-1].replace("$", "")
    min_col, min_row, max_col, max_row = range_boundaries(ref)
    assert min_col and min_row and max_col and max_row, ref
    return min_row - 1, min_col - 1, max_row - 1, max_col - 1


def copy_sheet(src: Worksheet, dst: XlsxSheet, formats: FormatCache) -> None:
    """Copy ``src`` (openpyxl) into ``dst`` (XlsxWriter): see the module's docstring."""
    # openpyxl keeps merged ranges (and a validation's ranges) in sets: sorted here, so that
    # the same sheet gives the same file in every process.
    for rng in sorted(src.merged_cells.ranges, key=lambda r: r.bounds[::-1]):
        r1, c1, r2, c2 = rng.min_row - 1, rng.min_col - 1, rng.max_row - 1, rng.max_col - 1
        if (r1, c1) == (r2, c2):
            continue
        top_left = src.cell(rng.min_row, rng.min_col)
        # The range is padded with the top-left's format; each cell is written over it below.
        dst.merge_range(r1, c1, r2, c2, "", formats.get(cell_props(top_left)))
    for r in range(1, src.max_row + 1):
        for c in range(1, src.max_column + 1):
            cell = src.cell(r, c)
            value = None if isinstance(cell, MergedCell) else cell.value
            fmt = formats.get(cell_props(cell))
            write_value(dst, r - 1, c - 1, value, fmt, formula=cell.data_type == "f")
    for key, dim in src.column_dimensions.items():
        if dim.width and dim.customWidth:
            first = column_index_from_string(key) - 1
            last = max(first, (dim.max or 0) - 1)
            dst.set_column(first, last, max(0.0, dim.width - WIDTH_PADDING))
    for index, rdim in src.row_dimensions.items():
        if rdim.height is not None:
            dst.set_row(index - 1, rdim.height)
    if src.freeze_panes:
        dst.freeze_panes(src.freeze_panes)
    if src.auto_filter.ref:
        dst.autofilter(*_ref_bounds(src.auto_filter.ref))
    for dv in src.data_validations.dataValidation:
        _copy_validation(dv, dst)
    copy_print_setup(src, dst)
    if src.protection.sheet:
        dst.protect(
            "",
            {"format_columns": not src.protection.formatColumns,
             "format_rows": not src.protection.formatRows},
        )  # fmt: skip


def _number(text: str | None) -> Any:
    if text is None:
        return None
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() else number


def _copy_validation(dv: Any, dst: XlsxSheet) -> None:
    cells = sorted(dv.sqref.ranges, key=lambda r: r.bounds[::-1])
    ranges = [_ref_bounds(str(r)) for r in cells]
    if not ranges:
        return
    options: dict[str, Any] = {"validate": _VALIDATE.get(dv.type or "", "any")}
    if options["validate"] != "any":
        options["criteria"] = _CRITERIA.get(dv.operator or "between", "between")
        if options["criteria"] in ("between", "not between"):
            options["minimum"] = _number(dv.formula1)
            options["maximum"] = _number(dv.formula2)
        elif options["validate"] == "list":
            options["source"] = dv.formula1
        else:
            options["value"] = _number(dv.formula1)
        options["error_type"] = {"warning": "warning", "information": "information"}.get(
            dv.errorStyle or "stop", "stop"
        )
        if dv.errorTitle:
            options["error_title"] = dv.errorTitle
        if dv.error:
            options["error_message"] = dv.error
    options["show_error"] = bool(dv.showErrorMessage)
    options["ignore_blank"] = bool(dv.allow_blank)
    options["show_input"] = bool(dv.showInputMessage)
    if dv.promptTitle:
        options["input_title"] = dv.promptTitle
    if dv.prompt:
        options["input_message"] = dv.prompt
    if len(ranges) > 1:
        options["multi_range"] = " ".join(str(r) for r in cells)
    dst.data_validation(*ranges[0], options)


def copy_print_setup(src: Worksheet, dst: XlsxSheet) -> None:
    """Paper, orientation, fit to pages, margins, centring, header and footer, print area and
    print titles of ``src`` set on ``dst``."""
    setup = src.page_setup
    if setup.orientation == "landscape":
        dst.set_landscape()
    elif setup.orientation == "portrait":
        dst.set_portrait()
    if setup.paperSize:
        dst.set_paper(int(setup.paperSize))
    pr = src.sheet_properties.pageSetUpPr
    if pr is not None and pr.fitToPage:
        dst.fit_to_pages(int(setup.fitToWidth or 1), int(setup.fitToHeight or 0))
    if src.print_options.horizontalCentered:
        dst.center_horizontally()
    if src.print_options.verticalCentered:
        dst.center_vertically()
    m = src.page_margins
    dst.set_margins(left=m.left, right=m.right, top=m.top, bottom=m.bottom)
    header = str(src.oddHeader) if src.oddHeader is not None else ""
    footer = str(src.oddFooter) if src.oddFooter is not None else ""
    dst.set_header(header, {"margin": m.header})
    dst.set_footer(footer, {"margin": m.footer})
    if src.print_area:
        area = src.print_area if isinstance(src.print_area, str) else src.print_area[0]
        dst.print_area(*_ref_bounds(area))
    if src.print_title_rows:
        first, _, last = src.print_title_rows.replace("$", "").partition(":")
        dst.repeat_rows(int(first) - 1, int(last or first) - 1)
    if src.print_title_cols:
        first, _, last = src.print_title_cols.replace("$", "").partition(":")
        dst.repeat_columns(
            column_index_from_string(first) - 1, column_index_from_string(last or first) - 1
        )
