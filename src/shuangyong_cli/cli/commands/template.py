"""`shuangyong template`: write the blank form, or one pre-filled copy per roster unit."""

from __future__ import annotations

from pathlib import Path

import click

from shuangyong_cli.cli.options import force_option, form_option, roster_option
from shuangyong_cli.cli.usage import ChineseCommand

#: ``--help`` of the command (click dedents it; \b keeps a paragraph unwrapped).
HELP = """生成空白统计表；给出名册时，为名册中每个单位各生成一份（已填好填报单位）。

    只有填报格可以输入，合计、小计由公式计算；数量只能填整数，金额只能填数字。

    已设置为 A4 横向、一页宽打印，每页重复表头。

    表式定义由 form new 从单位自己的空白表生成时（定义中记有 blank），复制的是那张空白表本身：
    版式、样式、合并单元格和打印设置不变，填好填报单位，只有填报格可以输入。

    \b
    示例：
      shuangyong template
      shuangyong template -o 八一统计表.xlsx
      shuangyong template --roster 名册.xlsx --out-dir 下发
    """


@click.command("template", cls=ChineseCommand, help=HELP)
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="空白统计表的文件名；默认在当前文件夹写“表名.xlsx”"
    "（如“2020年“八一”期间走访慰问驻黔部队和优抚对象情况统计表.xlsx”）。",
)
@form_option
@roster_option
@click.option(
    "--out-dir",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="与 --roster 一起使用：每个单位一份的统计表写到这个文件夹（不存在时自动创建）。",
)
@click.option(
    "--password",
    default=None,
    help="工作表保护密码。默认不设密码：单位仍只能在填报格中输入，但可自行取消保护。",
)
@force_option
def template_command(
    output: Path | None,
    form_path: Path | None,
    roster_path: Path | None,
    out_dir: Path | None,
    password: str | None,
    force: bool,
) -> None:
    """``shuangyong template``; the help text is ``HELP``."""
    from shuangyong_cli.model import load_form

    if roster_path is None and out_dir is not None:
        raise click.UsageError("--out-dir 需要与 --roster 一起使用（按名册为每个单位生成一份）。")
    if roster_path is not None and out_dir is None:
        raise click.UsageError(
            "使用 --roster 时请用 --out-dir 指定存放各单位统计表的文件夹，如 --out-dir 下发。"
        )
    if roster_path is not None and output is not None:
        raise click.UsageError("-o 用于生成一份空白表；按名册生成时请只用 --out-dir。")

    spec = load_form(form_path)
    from shuangyong_cli.learn import own_copies

    build, notes = own_copies(spec, password)
    for note in notes:
        click.echo(f"注意：{note}。", err=True)
    if roster_path is not None and out_dir is not None:
        from shuangyong_cli.season import load_roster
        from shuangyong_cli.writing import write_unit_copies

        roster = load_roster(roster_path, spec)
        written = write_unit_copies(
            spec, roster, out_dir, force=force, password=password, build=build
        )
        click.echo(f"已为 {len(written)} 个单位生成统计表，保存在 {out_dir}：")
        for unit, path in written:
            click.echo(f"  {unit.name}\t{path.name}")
        return

    from shuangyong_cli.writing import safe_filename, write_template

    target = output if output is not None else Path(f"{safe_filename(spec.title)}.xlsx")
    path = write_template(spec, target, force=force, password=password, build=build)
    click.echo(f"已生成空白统计表：{path}")
