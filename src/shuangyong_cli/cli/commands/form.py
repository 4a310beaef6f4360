"""`shuangyong form`: learn a form definition from a blank (`new`), check one (`check`), show one
(`show`). The work is done by ``shuangyong_cli.learn``; this module asks, prints and writes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import click

from shuangyong_cli.cli.exitcodes import ExitStatus
from shuangyong_cli.cli.options import force_option
from shuangyong_cli.cli.usage import (
    SUBCOMMAND_METAVAR,
    ChineseCommand,
    ChineseGroup,
    chinese_help,
)

if TYPE_CHECKING:
    from shuangyong_cli.cli.output import Output
    from shuangyong_cli.learn.learner import Learned

_BLANK = click.Path(dir_okay=False, path_type=Path)
_ASCII_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")

#: What ``--interactive`` offers for each kind of choice, and the value each answer stands for.
_CHOICES: dict[tuple[str, ...], dict[str, str]] = {
    ("count", "money", "text"): {"整数": "count", "金额": "money", "文字": "text"},
    ("in", "na"): {"填报格": "in", "不适用": "na"},
    ("keep", "drop"): {"保留": "keep", "删去": "drop"},
}


#: ``--help`` of ``form``.
FORM_HELP = """表式定义：从空白表推断（new），检查（check），查看（show）。

    表式定义（TOML 文件）说明一张统计表的表名、表头栏目、栏目、项目行、哪些格由单位填、
    哪些格由公式计算、哪些格不适用。换一张表只需另写一个定义文件，用 --form 交给其他命令。

    \b
    示例：
      shuangyong form new 样表.xlsx -o 春节慰问.toml
      shuangyong form check 春节慰问.toml 样表.xlsx
      shuangyong form show 春节慰问.toml
    """


@click.group(
    "form",
    cls=ChineseGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=FORM_HELP,
)
def form_group() -> None:
    """The group; its subcommands do the work."""


#: ``--help`` of ``form new``.
NEW_HELP = """从空白统计表推断表式定义，写成与内置表式相同格式的 TOML 文件。

    推断表名、工作表、表头和表尾栏目（填报单位、日期、填表人、审核人、联系电话）、
    一层或两层栏目、序号栏、项目栏、计量单位栏、计数和金额（元、千元、万元）、
    公式和“合计”“小计”所表示的计算关系、“其中”行、灰色或填有“—”“/”的不适用格。
    每条推断都列出：推断什么、在哪一格、把握（确定、较确定、待确认）和依据。

    \b
    示例：
      shuangyong form new 样表.xlsx -o 春节慰问.toml
      shuangyong form new 样表.xls -o 春节慰问.toml --interactive

    \b
    退出码：0 已写出（可能有待确认的推断，见文件中的注释）；
            2 用法错误，或读不懂空白表（未写出任何文件）。
    """


@form_group.command("new", cls=ChineseCommand, help=NEW_HELP)
@click.argument("blank", type=_BLANK, metavar="空白表")
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="写出的表式定义文件名；默认在当前文件夹写“表名.toml”。",
)
@click.option("--sheet", default=None, help="统计表所在的工作表名；默认取内容最多的可见工作表。")
@click.option(
    "--id",
    "form_id",
    default=None,
    help="表式编号（字母、数字、-、_），如 chunjie-2021；默认取输出文件名，非英文名时按标签生成。",
)
@click.option(
    "-i",
    "--interactive",
    is_flag=True,
    help="逐条询问“待确认”的推断。默认不询问：待确认的推断在文件中以“# 待确认：”注释标出。",
)
@force_option
@click.option("-q", "--quiet", is_flag=True, help="不列出推断，只输出最后一行。")
def new_command(
    blank: Path,
    output: Path | None,
    sheet: str | None,
    form_id: str | None,
    interactive: bool,
    force: bool,
    quiet: bool,
) -> None:
    from shuangyong_cli.cli.output import Output
    from shuangyong_cli.learn.learner import learn
    from shuangyong_cli.model import UnreadableFileError, UsageError
    from shuangyong_cli.writing import atomic
    from shuangyong_cli.writing.unit_copies import safe_filename

    out = Output(quiet=quiet)
    stem_id = form_id or (output.stem if output is not None else "")
    if form_id is not None and not _ASCII_ID.match(form_id):
        raise click.BadParameter("只能用字母、数字、-、_，如 chunjie-2021", param_hint="--id")
    if output is not None:
        atomic.check_output(output, inputs=[blank], force=force, what="表式定义", suffix=".toml")
    try:
        learned = learn(blank, stem_id if _ASCII_ID.match(stem_id) else "learned", sheet)
    except UnreadableFileError as e:  # its words are for a unit's return: name the blank
        raise UsageError(f"空白表 {blank} 无法读取：{_for_the_clerk(e.message)}") from None
    if not _ASCII_ID.match(stem_id):
        from shuangyong_cli.learn.learner import label_fingerprint

        learned.draft.id = f"form-{label_fingerprint(learned.spec)[:8]}"
        out.info(f"表式编号取为 {learned.draft.id}（编号只能用字母、数字、-、_；可用 --id 另定）。")
    if output is None:
        output = Path(f"{safe_filename(learned.spec.title, max_chars=40)}.toml")
    target = atomic.check_output(
        output, inputs=[blank], force=force, what="表式定义", suffix=".toml"
    )
    learned = _rendered(learned, target)
    print_inferences(out, learned)
    if interactive and learned.uncertain:
        learned = _ask(out, learned)
    atomic.write_bytes_atomic(target, learned.toml.encode("utf-8"))
    out.print_written([target])
    pending = len(learned.uncertain)
    tail = (
        f"；{pending} 处待确认，已在文件中以“# 待确认：”注释标出，请核对"
        if pending
        else "；没有待确认的推断"
    )
    out.final_line(
        f"已从 {blank.name} 推断出表式定义：{len(learned.spec.columns)} 栏，"
        f"{len(learned.spec.rows)} 行，{len(learned.spec.rules)} 条计算关系{tail}。",
        failed=False,
    )


def _rendered(learned: Learned, target: Path) -> Learned:
    """``learned`` rendered again with its id and ``[form] blank``: the blank's path relative to
    the definition's folder (absolute when there is no relative path, as across drives) and its
    SHA-256."""
    import hashlib
    import os

    from shuangyong_cli.learn.learner import Learned as LearnedType
    from shuangyong_cli.learn.learner import render

    path = learned.blank.path.resolve()
    try:
        learned.draft.blank = Path(os.path.relpath(path, target.parent.resolve())).as_posix()
    except ValueError:
        learned.draft.blank = path.as_posix()
    learned.draft.blank_sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    text, spec = render(learned.draft, learned.inferences, learned.blank.path.name)
    return LearnedType(learned.blank, learned.draft, learned.inferences, text, spec)


def print_inferences(out: Output, learned: Learned) -> None:
    if out.quiet:
        return
    rows = [(i.what, i.where, i.confidence.value, i.why) for i in learned.inferences]
    styles = [
        "yellow" if i.uncertain else ("dim" if i.confidence.value == "较确定" else None)
        for i in learned.inferences
    ]
    out.print_table(
        f"从 {learned.blank.path.name} 推断（{len(rows)} 条）",
        ("推断", "位置", "把握", "依据"),
        rows,
        styles=styles,
    )


def _ask(out: Output, learned: Learned) -> Learned:
    from shuangyong_cli.learn.answers import answered
    from shuangyong_cli.model.errors import FormDefinitionError

    answers: dict[int, str] = {}
    total = len(learned.uncertain)
    n = 0
    for index, inference in enumerate(learned.inferences):
        if not inference.uncertain:
            continue
        n += 1
        where = f"（{inference.where}）" if inference.where else ""
        click.echo(f"\n待确认 {n}/{total}：{inference.what}{where}", err=True)
        click.echo(f"  依据：{inference.why}", err=True)
        if inference.key == "title":
            answers[index] = click.prompt("  表名", default=learned.draft.title, err=True)
            continue
        options = _CHOICES.get(inference.choices)
        if options is None:
            click.prompt(
                "  按推断处理",
                type=click.Choice(["是"]),
                default="是",
                show_choices=False,
                err=True,
            )
            answers[index] = ""
            continue
        current = _current(learned, inference.key, options)
        said = click.prompt("  应为", type=click.Choice(list(options)), default=current, err=True)
        answers[index] = options[said]
    try:
        return answered(learned, answers)
    except FormDefinitionError as e:
        out.warn(f"{e}；按原来的推断写出，待确认的注释保留")
        return learned


def _current(learned: Learned, key: str, options: dict[str, str]) -> str:
    """The answer that keeps the inference as it is."""
    kind, _, rest = key.partition(":")
    by_value = {v: k for k, v in options.items()}
    if kind == "column":
        column = next(
            (c for c in learned.draft.columns if c.id == rest or str(c.col) == rest), None
        )
        if column is not None and column.kind in by_value:
            return by_value[column.kind]
    if kind == "cell":
        row_id, _, column_id = rest.partition(":")
        value = learned.draft.row(row_id).cells.get(column_id, "in")
        if value in by_value:
            return by_value[value]
    return next(iter(options))


#: ``--help`` of ``form check``.
CHECK_HELP = """检查表式定义：文件有效；给出空白表时，逐一核对表名、栏目、项目行、
    各格类别（填、算、不适用）和计算关系与空白表是否一致，不一致的指出单元格。

    \b
    示例：
      shuangyong form check 春节慰问.toml
      shuangyong form check 春节慰问.toml 样表.xlsx

    \b
    退出码：0 有效且与空白表一致；1 与空白表不一致；2 定义文件无效或用法错误。
    """


@form_group.command("check", cls=ChineseCommand, help=CHECK_HELP)
@click.argument("definition", type=_BLANK, metavar="表式定义.toml")
@click.argument("blank", type=_BLANK, required=False, metavar="[空白表]")
@click.option("-q", "--quiet", is_flag=True, help="只输出最后一行。")
def check_command(definition: Path, blank: Path | None, quiet: bool) -> None:
    from shuangyong_cli.cli.output import Output
    from shuangyong_cli.learn.check import check

    out = Output(quiet=quiet)
    result = check(definition, blank)
    for note in result.notes:
        out.info(note)
    if result.problems:
        out.print_table(
            f"{definition.name} 与 {blank.name if blank else ''} 不一致之处",
            ("#", "不一致"),
            [(str(i), p) for i, p in enumerate(result.problems, start=1)],
        )
        out.final_line(f"表式定义有效，但与空白表有 {len(result.problems)} 处不一致。", failed=True)
        raise click.exceptions.Exit(ExitStatus.FINDINGS)
    spec = result.spec
    what = f"，与空白表 {blank.name} 一致" if blank is not None else ""
    out.final_line(
        f"表式定义 {definition.name} 有效（{len(spec.columns)} 栏，{len(spec.rows)} 行，"
        f"{len(spec.rules)} 条计算关系，{len(spec.subsets)} 条其中关系）{what}。",
        failed=False,
    )


#: ``--help`` of ``form show``.
SHOW_HELP = """以表格列出表式定义：表名和栏目，每一行每一格是填、算还是不适用，计算关系。
    不给文件时列出内置的 2020 年“八一”统计表。

    \b
    示例：
      shuangyong form show 春节慰问.toml
    """


@form_group.command("show", cls=ChineseCommand, help=SHOW_HELP)
@click.argument("definition", type=_BLANK, required=False, metavar="[表式定义.toml]")
def show_command(definition: Path | None) -> None:
    from shuangyong_cli.cli.output import Output
    from shuangyong_cli.learn.check import show
    from shuangyong_cli.model.form_file import load_form

    out = Output()
    for table in show(load_form(definition)):
        out.print_table(table.title, table.columns, table.rows)


for _command in form_group.commands.values():
    chinese_help(_command)
form_group.subcommand_metavar = SUBCOMMAND_METAVAR


_UNZIP_AND_SEND = re.compile(r"请解压后报送其中的统计表\(\.xlsx\)(?:，或直接发送统计表文件)?")
_THEN_SEND = re.compile(r"后\s*(?:重新)?报送|再\s*报送")
_ANOTHER_BLANK = "请换一份完好的空白表（.xlsx 或 .xls）再试"


def _for_the_clerk(reason: str) -> str:
    """A reader's message about the clerk's own blank, said to the clerk: its words are for a
    unit's return. What to do before sending it again is what to do before trying again
    (``…另存为 Excel 工作簿(.xlsx) 再试``, ``去除打开密码后再试``, ``解压后使用其中的空白表``);
    advice that only a unit can follow (请重新报送, 请报送下发的统计表, 请重新发送完整的文件)
    becomes another blank; 请对方 is the clerk. The rest (a path to check) stays; it ends with a
    full stop."""
    from shuangyong_cli.model.findings import sentence

    text = _UNZIP_AND_SEND.sub("请解压后使用其中的空白表", reason.rstrip("。"))
    text = text.replace("或请对方", "或").replace("请对方", "请")
    text = _THEN_SEND.sub(lambda m: "后再试" if m[0][0] == "后" else "再试", text)
    clauses = []
    dropped = False
    for clause in text.split("；"):
        if "报送" in clause or "发送" in clause:  # advice only a unit can follow
            dropped = True
            if "，请" not in clause:
                continue
            clause = clause[: clause.index("，请")]  # what is wrong stays
        clauses.append(clause)
    if dropped and not any(c.startswith("请") or "，请" in c for c in clauses):
        clauses.append(_ANOTHER_BLANK)
    return sentence("；".join(c for c in clauses if c))
