"""Files the import hands out: the template to fill in and the report of rows in error. Pure: plain
values in, bytes out."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from stdnum.cn import ric, uscc

from .parsing import column_label, ordered_errors

# Columns of the template, in order: the header as written, and whether the column is text (so that
# Excel keeps the leading digits and all 18 characters of codes and ID numbers).
TEMPLATE_COLUMNS = (
    ("uscc", "统一社会信用代码", True),
    ("name", "企业名称", False),
    ("kind", "主体类型", False),
    ("industry", "行业门类", False),
    ("region", "所在区划", True),
    ("park", "所在园区", False),
    ("is_key", "重点民企", False),
    ("employees", "从业人数", False),
    ("registered_capital", "注册资本（万元）", False),
    ("founded_on", "成立日期", True),
    ("address", "住所", False),
    ("legal_name", "法定代表人", False),
    ("legal_id", "法定代表人身份证号", True),
    ("contact_name", "联系人", False),
    ("contact_mobile", "联系电话", True),
)
REQUIRED = {"uscc", "name", "region"}


def workbook_bytes(rows, *, title: str = "市场主体") -> bytes:
    """A plain .xlsx of these rows (the first is usually the header), streamed as it is written."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    for cells in rows:
        sheet.append(list(cells))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _example_uscc() -> str:
    body = "91510799MA6ABCDE1"
    return body + uscc.calc_check_digit(body)


def _example_id() -> str:
    body = "51062319900101123"
    return body + ric.calc_check_digit(body + "0")


def template_xlsx(example_region: str) -> bytes:
    """A workbook with the Chinese headers, one example row and a sheet of instructions.

    Headers and example values stay Chinese in every UI language: they are what the importer reads,
    and a template downloaded in English must upload again. Only the instructions are translated."""
    example = {
        "uscc": _example_uscc(), "name": "星湖示例科技有限公司", "kind": "民营企业", "industry": "制造业",
        "region": example_region, "park": "", "is_key": "否", "employees": 25, "registered_capital": 500,
        "founded_on": "2019-03-01", "address": "星湖市示例路 1 号", "legal_name": "张三",
        "legal_id": _example_id(), "contact_name": "李四", "contact_mobile": "13800000000",
    }
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("市场主体")
    bold, required_fill = Font(bold=True), PatternFill("solid", fgColor="FFF2CC")
    header, row = [], []
    for key, text, is_text in TEMPLATE_COLUMNS:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        if key in REQUIRED:
            cell.fill = required_fill
        header.append(cell)
        value = WriteOnlyCell(sheet, value=example[key])
        if is_text:
            value.number_format = "@"
        row.append(value)
    for index, width in enumerate((22, 28, 14, 12, 18, 20, 10, 10, 16, 12, 30, 12, 22, 10, 14)):
        sheet.column_dimensions[chr(65 + index)].width = width
    sheet.append(header)
    sheet.append(row)

    notes = workbook.create_sheet(_("填写说明"))
    notes.append([_("列"), _("说明")])
    for line in (
        ("统一社会信用代码", _("必填。18 位，系统校验第 18 位校验码；按此代码匹配：已登记的更新，未登记的新增。")),
        ("企业名称", _("必填。")),
        ("主体类型", _("民营企业、农民专业合作社或家庭农场；不填时新增为民营企业。")),
        ("行业门类", _("门类字母（如 C）或名称（如 制造业）。")),
        ("所在区划", _("必填。12 位区划代码，或“镇街+村（社区）”名称，如“东湖镇东湖村”。")),
        ("所在园区", _("园区名称或编号，可不填。")),
        ("重点民企", _("是 / 否（也可填 Y / N、√）。")),
        ("注册资本（万元）", _("单位为万元，系统乘以 10,000 折合为元；表头写“注册资本（元）”则按元计。")),
        ("成立日期", _("如 2019-03-01、2019/3/1、2019年3月1日、20190301，或 Excel 日期。")),
        ("法定代表人身份证号", _("18 位，请将该列设为文本格式；按身份证号匹配已有人员。")),
        ("联系电话", _("11 位手机号；联系人按“姓名+手机号”匹配已有人员。")),
        ("", _("可选列留空表示不修改已登记的内容。文件中任何一行有错误时不能导入，请修改后重新上传。")),
    ):
        notes.append([line[0], line[1]])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _safe(value: object) -> str:
    """Excel runs a cell that starts with = + - @ as a formula: quote it, since the text is the uploader's."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def errors_csv(rows) -> bytes:
    """One line per error: row number, credit code, name, column, reason. UTF-8 with a BOM, so that
    Excel on Chinese Windows opens it without garbling."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_("行号"), column_label("uscc"), column_label("name"), _("出错的列"), _("错误原因")])
    for row in rows:
        for column, message in ordered_errors(row.errors):
            writer.writerow([row.row_number, _safe(row.uscc), _safe(row.name), _safe(column), _safe(message)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
