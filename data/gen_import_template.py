"""Write the import templates of customer archive cards (xlsx and csv).

    python data/gen_import_template.py

Column headers are the fields' Chinese labels, which Odoo's import maps by itself
for a user whose language is 简体中文; `关键人员/名称` fills a key person of the
file (more key people of the same customer: more rows with the customer column
left empty).
"""

import csv
import pathlib

import xlsxwriter

HERE = pathlib.Path(__file__).resolve().parent
HEADERS = [
    "客户",
    "电话（含区号）",
    "营业执照号码",
    "法定代表人",
    "银行",
    "银行账户",
    "注册资本",
    "成立日期",
    "首次交易日期",
    "企业性质",
    "客户性质",
    "员工",
    "市场区域",
    "经营范围",
    "销售能力",
    "关键人员/名称",
    "关键人员/职务",
    "关键人员/电话",
]
ROWS = [
    [
        "天津丸石自行车贸易有限公司",
        "022-23456789",
        "91120000MA05XXXX1A",
        "王建国",
        "中国工商银行天津分行",
        "0302001234567890123",
        "500000",
        "2008-05-18",
        "2012-03-01",
        "私营",
        "普通企业",
        "45",
        "华北",
        "自行车批发零售",
        "年销售额约800万元",
        "王建国",
        "法定代表人",
        "13800001111",
    ],
    [
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "李娜",
        "采购负责人",
        "13900002222",
    ],
    [
        "上海浦东五金商行",
        "021-58881234",
        "92310115MA1HXXXX2B",
        "陈明",
        "交通银行上海浦东支行",
        "310066771018000123456",
        "100000",
        "2015-09-09",
        "2019-06-15",
        "个体",
        "个人",
        "8",
        "上海浦东",
        "五金零售",
        "",
        "陈明",
        "总经理",
        "13600003333",
    ],
]


def main():
    with open(
        HERE / "customer_archive_import_template.csv", "w", newline="", encoding="utf-8"
    ) as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        writer.writerows(ROWS)
    workbook = xlsxwriter.Workbook(str(HERE / "customer_archive_import_template.xlsx"))
    sheet = workbook.add_worksheet("客户档案卡")
    bold = workbook.add_format({"bold": True})
    sheet.set_column(0, len(HEADERS) - 1, 16)
    for col, text in enumerate(HEADERS):
        sheet.write_string(0, col, text, bold)
    for row, values in enumerate(ROWS, 1):
        for col, value in enumerate(values):
            if value:
                sheet.write_string(row, col, value)
    workbook.close()


if __name__ == "__main__":
    main()
