"""Write the import templates of batch credit applications (xlsx and csv).

    python data/gen_credit_import_template.py

One line per customer: the credit profile it gets once the batch is approved. The
column headers are the English labels of the batch line's fields, which Odoo's import
maps by itself whatever the user's language (see data/README.md).
"""

import csv
import pathlib

import xlsxwriter

HERE = pathlib.Path(__file__).resolve().parent
NAME = "customer_credit_import_template"
HEADERS = [
    "Customer",
    "File Number",
    "Credit Rating",
    "Credit Limit",
    "Credit Days",
    "Payment Term",
    "Max Order Amount",
    "Overdue Tolerance Days",
    "Overdue Tolerance Amount",
    "Group Credit",
    "Valid Until",
    "Next Review Date",
    "Credit Status",
]
ROWS = [
    [
        "上海华东贸易有限公司",
        "",
        "AA",
        "500000",
        "60",
        "30 Days",
        "200000",
        "5",
        "10000",
        "1",
        "2030-12-31",
        "2030-06-30",
        "Active",
    ],
    [
        "天津丸石自行车贸易有限公司",
        "",
        "A",
        "200000",
        "45",
        "45 Days",
        "",
        "3",
        "5000",
        "0",
        "2030-12-31",
        "",
        "Active",
    ],
    # Found by its tax ID (统一社会信用代码) instead of its name.
    [
        "91320500MA1XK0003C",
        "",
        "B",
        "0",
        "0",
        "Immediate Payment",
        "",
        "",
        "",
        "0",
        "",
        "",
        "Cash Only",
    ],
]
NUMBERS = {
    "Credit Limit",
    "Credit Days",
    "Max Order Amount",
    "Overdue Tolerance Days",
    "Overdue Tolerance Amount",
}


def main():
    with open(HERE / f"{NAME}.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        writer.writerows(ROWS)
    workbook = xlsxwriter.Workbook(str(HERE / f"{NAME}.xlsx"))
    sheet = workbook.add_worksheet("Credit")
    bold = workbook.add_format({"bold": True})
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, len(HEADERS) - 1, 16)
    for col, text in enumerate(HEADERS):
        sheet.write_string(0, col, text, bold)
    for row, values in enumerate(ROWS, 1):
        for col, value in enumerate(values):
            if not value:
                continue
            if HEADERS[col] in NUMBERS:
                sheet.write_number(row, col, float(value))
            else:
                # Dates and codes as text: Odoo reads YYYY-MM-DD, Excel would not
                # keep the tax ID's letters or a code like "A" otherwise.
                sheet.write_string(row, col, value)
    workbook.close()


if __name__ == "__main__":
    main()
