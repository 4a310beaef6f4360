"""`shuangyong form new | check | show` through click: exit codes, what is printed, what is
written."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import blank_forms
from shuangyong_cli.cli import cli
from shuangyong_cli.model import message
from shuangyong_cli.model.form_file import load_form

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
BUILTIN = ROOT / "templates" / "bayi-2020.toml"


def run(*args: str | Path, input: str | None = None) -> Result:
    return CliRunner().invoke(
        cli, [str(a) for a in args], input=input, env={"NO_COLOR": "1", "TERM": "dumb"}
    )


@pytest.fixture(scope="module")
def blanks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("blanks")
    for build in blank_forms.BUILDERS.values():
        build(folder)
    return folder


def test_new_writes_a_definition_and_prints_every_inference(blanks: Path, tmp_path: Path) -> None:
    out = tmp_path / "chuangjian.toml"
    result = run("form", "new", blanks / "创建资金统计表.xlsx", "-o", out)
    assert result.exit_code == 0, result.output
    assert "推断" in result.output and "把握" in result.output and "依据" in result.output
    assert "表头栏目“填报单位”（同格冒号后）" in result.output
    assert "待确认" in result.output
    assert "1 处待确认" in result.output
    assert f"已写出：{out}" in result.stderr
    spec = load_form(out)
    assert spec.id == "chuangjian"
    assert [r.label for r in spec.rows] == ["拥军优属", "军民共建", "双拥宣传", "其他", "合计"]
    assert "# 待确认：“其他 / 合计”按填报格（F8）：所加的栏中有不适用格" in out.read_text("utf-8")


def test_new_refuses_to_overwrite_without_force(blanks: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.toml"
    out.write_text("原有内容", encoding="utf-8")
    result = run("form", "new", blanks / "春节慰问统计表.xlsx", "-o", out)
    assert result.exit_code == 2
    assert "已存在；如要覆盖，请加 --force" in result.stderr
    assert out.read_text("utf-8") == "原有内容"
    result = run("form", "new", blanks / "春节慰问统计表.xlsx", "-o", out, "--force", "-q")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("已从 春节慰问统计表.xlsx 推断出表式定义")  # no table
    assert load_form(out).title == "2021年春节期间走访慰问困难退役军人情况统计表"


def test_new_never_writes_over_its_input(blanks: Path, tmp_path: Path) -> None:
    blank = tmp_path / "样表.xlsx"
    blank.write_bytes((blanks / "春节慰问统计表.xlsx").read_bytes())
    result = run("form", "new", blank, "-o", blank, "--force")
    assert result.exit_code == 2
    assert "就是输入文件，不能覆盖输入" in result.stderr


def test_new_default_name_and_id(
    blanks: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("form", "new", blanks / "春节慰问统计表.xlsx")
    assert result.exit_code == 0, result.output
    written = tmp_path / "2021年春节期间走访慰问困难退役军人情况统计表.toml"
    assert written.is_file()
    spec = load_form(written)
    assert spec.id.startswith("form-") and len(spec.id) == 13


def test_new_rejects_a_non_ascii_id(blanks: Path, tmp_path: Path) -> None:
    result = run(
        "form", "new", blanks / "春节慰问统计表.xlsx", "-o", tmp_path / "a.toml", "--id", "春节"
    )
    assert result.exit_code == 2
    assert "只能用字母、数字" in result.stderr


def test_new_on_something_that_is_not_a_form(tmp_path: Path) -> None:
    bad = tmp_path / "note.xlsx"
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = "会议通知"
    wb.save(bad)
    result = run("form", "new", bad, "-o", tmp_path / "x.toml")
    assert result.exit_code == 2
    assert "没有找到表头" in result.stderr
    assert not (tmp_path / "x.toml").exists()
    text = tmp_path / "a.csv"
    text.write_text("序号,项目\n", encoding="utf-8")
    result = run("form", "new", text, "-o", tmp_path / "x.toml")
    assert result.exit_code == 2
    assert not (tmp_path / "x.toml").exists()


def test_interactive_asks_about_the_uncertain_ones(blanks: Path, tmp_path: Path) -> None:
    out = tmp_path / "cj.toml"
    result = run(
        "form", "new", blanks / "创建资金统计表.xlsx", "-o", out, "--interactive", input="不适用\n"
    )
    assert result.exit_code == 0, result.output
    assert "待确认 1/1：“其他 / 合计”按填报格（F8）" in result.stderr
    assert "没有待确认的推断" in result.stdout
    text = out.read_text("utf-8")
    assert "# 待确认" not in text
    spec = load_form(out)
    assert "sum" not in spec.row("r4").cells  # 不适用
    data = tomllib.loads(text)
    assert data["form"]["id"] == "cj"


def test_interactive_default_keeps_the_inference(blanks: Path, tmp_path: Path) -> None:
    out = tmp_path / "cj.toml"
    result = run("form", "new", blanks / "创建资金统计表.xlsx", "-o", out, "-i", "-q", input="\n")
    assert result.exit_code == 0, result.output
    assert load_form(out).row("r4").cells["sum"].value == "in"


def test_check_exit_codes(blanks: Path, tmp_path: Path) -> None:
    result = run("form", "check", BUILTIN, blanks / "八一统计表.xlsx")
    assert result.exit_code == 0, result.output
    assert "有效" in result.stdout and "与空白表 八一统计表.xlsx 一致" in result.stdout
    result = run("form", "check", BUILTIN)
    assert result.exit_code == 0
    changed = tmp_path / "changed.toml"
    changed.write_text(
        BUILTIN.read_text("utf-8").replace('label = "烈属"', 'label = "烈士家属"'), "utf-8"
    )
    result = run("form", "check", changed, blanks / "八一统计表.xlsx")
    assert result.exit_code == 1
    assert "B10：定义为“3 烈士家属”，空白表为“3 烈属”" in result.stdout
    assert "有 1 处不一致" in result.stdout
    broken = tmp_path / "broken.toml"
    broken.write_text(
        BUILTIN.read_text("utf-8").replace('target_row = "objects"', 'target_row = "nope"'),
        "utf-8",
    )
    result = run("form", "check", broken)
    assert result.exit_code == 2
    assert "错误：" in result.stderr and "未知的行 “nope”" in result.stderr


def test_show_prints_the_form_as_tables() -> None:
    result = run("form", "show")
    assert result.exit_code == 0, result.output
    for text in ("表式", "栏目（宾栏）", "走访慰问优抚对象", "计算关系", "慰问款物（万元）"):
        assert text in result.stdout
    result = run("form", "show", BUILTIN)
    assert result.exit_code == 0
    result = run("form", "show", "nope.toml")
    assert result.exit_code == 2
    assert "找不到表式定义文件" in result.stderr


def test_help_is_chinese() -> None:
    result = CliRunner().invoke(cli, ["form", "new", "-h"], prog_name="shuangyong")
    assert result.exit_code == 0
    assert "用法：shuangyong form new [选项] 空白表" in result.output
    assert "显示此帮助并退出。" in result.output
    result = run("-h")
    assert "shuangyong form" in result.output


@pytest.mark.soffice
@pytest.mark.skipif(blank_forms.soffice() is None, reason="LibreOffice not installed")
def test_new_on_an_xls_blank_says_what_it_cannot_read(tmp_path: Path) -> None:
    blank = blank_forms.youfu_xls(tmp_path)
    out = tmp_path / "youfu.toml"
    result = run("form", "new", blank, "-o", out)
    assert result.exit_code == 0, result.output
    assert "读取方式" in result.stdout  # the note that .xls has no formulas or fills
    assert load_form(out).row("total").total


def test_show_a_learned_definition_with_subsets_and_money_rows(
    blanks: Path, tmp_path: Path
) -> None:
    out = tmp_path / "jf.toml"
    assert run("form", "new", blanks / "经费统计表.xlsx", "-o", out, "-q").exit_code == 0
    result = run("form", "show", out)
    assert result.exit_code == 0, result.output
    assert "双拥工作经费（金额）" in result.stdout
    assert "其中：其中：拥军优属经费、军民共建经费 各不超过“双拥工作经费”" in result.stdout


def test_a_blank_that_cannot_be_read_is_named(tmp_path: Path) -> None:
    broken = tmp_path / "空白表.xlsx"
    broken.write_bytes(b"PK\x03\x04broken")
    result = run("form", "new", broken, "-o", tmp_path / "表.toml")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"错误：空白表 {broken} 无法读取：文件")
    assert not (tmp_path / "表.toml").exists()
    # an empty file: what is wrong, and what the clerk does (not a unit's 请重新报送)
    empty = tmp_path / "空的.xlsx"
    empty.write_bytes(b"")
    result = run("form", "new", empty, "-o", tmp_path / "表.toml")
    assert result.exit_code == 2
    assert " ".join(result.stderr.split()) == (
        f"错误：空白表 {empty} 无法读取：文件是空的（0 字节），可能保存或传输失败；"
        "请换一份完好的空白表（.xlsx 或 .xls）再试。"
    )
    # other advice is the clerk's too: a name mistyped is not a damaged blank
    missing = tmp_path / "没有这个文件.xlsx"
    result = run("form", "new", missing, "-o", tmp_path / "表.toml")
    assert result.exit_code == 2
    assert "找不到文件“没有这个文件.xlsx”；请确认文件仍在原处。" in result.stderr
    assert "换一份" not in result.stderr


def test_a_word_file_given_as_the_blank_is_not_told_to_send_the_form(tmp_path: Path) -> None:
    """A unit is told 请报送下发的 Excel 统计表; the clerk, whose blank it is, another blank."""
    word = tmp_path / "空白表.xlsx"
    with zipfile.ZipFile(word, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    result = run("form", "new", word, "-o", tmp_path / "表.toml")
    assert result.exit_code == 2
    assert " ".join(result.stderr.split()) == (
        f"错误：空白表 {word} 无法读取：这是 Word 文档，不是统计表；"
        "请换一份完好的空白表（.xlsx 或 .xls）再试。"
    )


def test_an_unknown_file_given_as_the_blank_keeps_the_clerks_own_advice(tmp_path: Path) -> None:
    """A unit's 请报送填好的 Excel 统计表 is dropped; what the clerk can do stays."""
    junk = tmp_path / "空白表.xlsx"
    junk.write_bytes(bytes(range(256)) * 12)
    result = run("form", "new", junk, "-o", tmp_path / "表.toml")
    assert result.exit_code == 2
    assert " ".join(result.stderr.split()) == (
        f"错误：空白表 {junk} 无法读取：无法识别的文件格式（被改成了 .xlsx 扩展名），不是 Excel "
        "表格；如确是统计表，请在 Excel/WPS 中打开后“另存为”Excel 工作簿(.xlsx) 再试。"
    )


@pytest.mark.parametrize(
    ("code", "variant", "said"),
    [
        (
            "file.not_workbook",
            "csv",
            "这是 CSV 文本文件，不是 Excel 表格；请在 Excel/WPS 中打开统计表后“另存为”Excel "
            "工作簿(.xlsx) 再试。",
        ),
        (
            "file.not_workbook",
            "zip",
            "这是 ZIP 压缩包，不是 Excel 表格；请解压后使用其中的空白表。",
        ),
        (
            "file.too_large",
            "out_of_memory",
            "读取此文件时内存不足（文件内容异常庞大），已跳过；请检查是否发错了文件，"
            "或删除与统计表无关的工作表、图片后再试。",
        ),
        (
            "file.reader_crashed",
            "main",
            "读取此文件时读取程序异常退出（文件可能已损坏）；请在 Excel/WPS 中打开后重新保存再试。",
        ),
    ],
)
def test_a_readers_advice_to_a_unit_is_turned_to_the_clerk(
    code: str, variant: str, said: str
) -> None:
    from shuangyong_cli.cli.commands.form import _for_the_clerk

    text = message(code, variant).format(renamed="", inside="")
    assert _for_the_clerk(text) == said
    assert "报送" not in _for_the_clerk(text) and "对方" not in _for_the_clerk(text)
