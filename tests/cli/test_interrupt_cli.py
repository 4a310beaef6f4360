"""Ctrl-C while worker processes read: one Chinese line, exit code 130, no traceback, no process
left behind, and no hang."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from returnfiles import plausible, write_return

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/task").is_dir(), reason="needs Linux /proc to see the worker processes"
)


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text()
        found += [int(x) for x in text.split()]
    return found


def test_ctrl_c_while_workers_read(tmp_path: Path) -> None:
    inbox = tmp_path / "回收"
    inbox.mkdir()
    first = write_return(inbox / "单位0000.xlsx", "单位0000", plausible(0, "乡镇"))
    for i in range(1, 800):
        shutil.copyfile(first, inbox / f"单位{i:04d}.xlsx")
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb"}
    command = [sys.executable, "-m", "shuangyong_cli", "validate", str(inbox), "-j", "2", "-q"]
    # A session of its own, as a terminal's foreground group: Ctrl-C goes to every process in it.
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True
    )
    try:
        for _ in range(600):  # the workers are up: reading has begun
            if len(_children(proc.pid)) >= 2 or proc.poll() is not None:
                break
            time.sleep(0.01)
        time.sleep(0.2)
        if proc.poll() is not None:
            pytest.skip("the run ended before it could be interrupted")
        workers = _children(proc.pid)
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    stderr = err.decode()
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert stderr.strip().splitlines()[-1] == (
        "错误：已中断；正在写出的文件没有写出，原有文件不受影响。"
    )
    assert workers and not any(Path(f"/proc/{w}").exists() for w in workers)
