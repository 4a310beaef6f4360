"""How much of a file we agree to read (``ReadLimits``), and the note for cells beyond them."""

from __future__ import annotations

from dataclasses import dataclass

from shuangyong_cli.model import CellValue, a1, message


@dataclass(frozen=True)
class ReadLimits:
    """How much of a file we agree to read. Every bound protects time or memory."""

    max_file_bytes: int = 20 * 1024 * 1024
    max_zip_entries: int = 1000
    max_uncompressed_bytes: int = 100 * 1024 * 1024
    """Total bytes actually decompressed from a zip (declared sizes are checked too)."""
    max_ratio: int = 200
    """Per zip entry, uncompressed / compressed, for entries of more than 1 MB."""
    max_cells: int = 200_000
    """Non-empty cells in one sheet."""
    max_rows: int = 100_000
    max_cols: int = 1_000
    """Height and width of the dense range a reader may allocate for one sheet."""
    max_dense_cells: int = 2_000_000
    """Area of that dense range (calamine spends about 32 bytes per cell of it)."""
    max_total_cells: int = 1_000_000
    """Non-empty cells in the whole workbook."""
    max_shared_strings: int = 1_000_000

    def allows_dense(self, height: int, width: int) -> bool:
        """Whether a reader may allocate a dense range of this many rows and columns."""
        return (
            height <= self.max_rows
            and width <= self.max_cols
            and height * width <= self.max_dense_cells
        )


DEFAULT_LIMITS = ReadLimits()


def far_note(sheet_name: str, cells: dict[tuple[int, int], CellValue], limits: ReadLimits) -> str:
    """Name the cells that lie far from the rest, with what they hold."""
    if not cells:
        return message("file.far_cells", "no_cells").format(sheet=sheet_name)
    rows = [r for r, _ in cells]
    cols = [c for _, c in cells]
    top, left = min(rows), min(cols)
    far = [
        pos
        for pos in sorted(cells)
        if pos[0] - top >= limits.max_rows or pos[1] - left >= limits.max_cols
    ]
    if not far:
        far = sorted({max(cells, key=lambda p: p[0]), max(cells, key=lambda p: p[1])})
    cell = message("file.far_cells", "cell")
    shown = "、".join(cell.format(cell=a1(*pos), value=str(cells[pos])[:20]) for pos in far[:3])
    more = message("file.far_cells", "more").format(count=len(far)) if len(far) > 3 else ""
    return message("file.far_cells").format(sheet=sheet_name, cells=shown, more=more)
