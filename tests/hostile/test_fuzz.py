"""Mutated workbooks: whatever the damage, the reader answers with a Grid or an
UnreadableFileError, quickly, and the process survives (the files are read in a child process
under a memory cap, so a reader that aborts fails the test instead of killing pytest)."""

from __future__ import annotations

import io
import json
import random
import re
import subprocess
import sys
import zipfile
from pathlib import Path

from hostile.builders import (
    boolerr,
    form_xlsx,
    formula_error,
    label,
    mulrk,
    number,
    rezip,
    set_cells_xml,
    tiny_xls,
)

_READ_ALL = r"""
import json, sys, traceback
from pathlib import Path
from shuangyong_cli.model.errors import UnreadableFileError
from shuangyong_cli.reading.returned_file import read_grid

outcomes, unexpected = {}, []
for path in sorted(Path(sys.argv[1]).iterdir()):
    try:
        read_grid(path)
        code = "ok"
    except UnreadableFileError as exc:
        code = exc.code
        if "无法解析：" in exc.message:  # the last-resort net: a case no check foresaw
            unexpected.append(f"{path.name}: {exc.message}")
    except Exception:
        code = "unexpected"
        unexpected.append(f"{path.name}: " + traceback.format_exc(limit=3))
    outcomes[code] = outcomes.get(code, 0) + 1
print(json.dumps({"outcomes": outcomes, "unexpected": unexpected[:5]}))
"""

INSERTS = [
    b'<c r="XFD1048576"><v>1</v></c>',
    b"<row>",
    b"</c>",
    b"&#99999999;",
    b"<!-- x -->",
    b"<c><v>1</v></c>",
    b' t="e"',
    b"<f>A1</f>",
    b'<row r="1048576"/>',
    b' r="A1"',
]


def _mutate_bytes(rng: random.Random, data: bytes, alphabet: bytes | None = None) -> bytes:
    out = bytearray(data)
    for _ in range(rng.choice((1, 2, 4, 16))):
        at = rng.randrange(len(out))
        out[at] = rng.choice(alphabet) if alphabet else rng.randrange(256)
    return bytes(out)


def _mutate_xml(rng: random.Random, xml: bytes) -> bytes:
    mode = rng.random()
    if mode < 0.4:
        return _mutate_bytes(rng, xml, b'<>"/ =&;0123456789AZcfrvt')
    if mode < 0.7:
        refs = [m.start(1) for m in re.finditer(rb'r="[A-Z]+([0-9]+)"', xml)]
        if refs:
            at = rng.choice(refs)
            digits = str(rng.choice((9, 99999, 1048576, 1048577, 0))).encode()
            return xml[:at] + digits + xml[at:]
    at = rng.randrange(len(xml))
    return xml[:at] + rng.choice(INSERTS) + xml[at:]


def _mutants(rng: random.Random, count: int) -> list[tuple[str, bytes]]:
    xlsx = set_cells_xml(form_xlsx(), 30, '<c r="A30" t="e"><f>1/0</f><v>#DIV/0!</v></c>')
    names = [n for n in zipfile.ZipFile(io.BytesIO(xlsx)).namelist() if n.endswith(".xml")]
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    xls = tiny_xls(
        [
            (
                "统计表",
                0,
                [
                    label(2, 2, "黔江区民政局"),
                    number(5, 3, 12.5),
                    mulrk(8, 1, [1, 2]),
                    formula_error(9, 3, 0x07),
                ],
            ),
            ("_meta", 2, [boolerr(0, 0, 7, True)]),
        ]
    )
    out = []
    for i in range(count):
        part = rng.choice(["xl/worksheets/sheet1.xml"] * 4 + names)
        out.append((f"x{i}.xlsx", rezip(xlsx, {part: _mutate_xml(rng, source.read(part))})))
        out.append((f"b{i}.xls", _mutate_bytes(rng, xls)))
        out.append((f"z{i}.xlsx", _mutate_bytes(rng, xlsx)))
    return out


def test_mutated_files_never_escape_or_crash(tmp_path: Path) -> None:
    for name, data in _mutants(random.Random(20200801), 150):
        (tmp_path / name).write_bytes(data)

    def limit() -> None:
        import resource  # POSIX only: imported where used, so the module collects on Windows

        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    proc = subprocess.run(
        [sys.executable, "-c", _READ_ALL, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=limit,
        check=False,
    )
    assert proc.returncode == 0, f"reader died (exit {proc.returncode}): {proc.stderr[-3000:]}"
    assert proc.stderr == ""  # a Rust panic inside calamine must not reach the terminal
    result = json.loads(proc.stdout)
    assert result["unexpected"] == []
    assert sum(result["outcomes"].values()) == 450
    assert result["outcomes"].get("ok", 0) > 50  # the mutations do not all break the file
