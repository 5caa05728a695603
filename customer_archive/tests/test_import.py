import csv
import io
import pathlib

from odoo.tests import new_test_user

from .common import ArchiveCommon

TEMPLATE_DIR = pathlib.Path(__file__).resolve().parents[2] / "data"
HEADERS = [
    "客户",
    "电话（含区号）",
    "法定代表人",
    "成立日期",
    "企业性质",
    "客户性质",
    "经营范围",
    "关键人员/名称",
    "关键人员/职务",
]
EXPECTED_FIELDS = [
    "partner_id",
    "phone",
    "legal_representative",
    "founding_date",
    "organisation_form",
    "nature",
    "business_scope",
    "contact_ids/name",
    "contact_ids/role",
]


def card_row(n, **overrides):
    row = {
        "客户": f"测试导入{n:03d}号商贸有限公司",
        "电话（含区号）": f"022-2{n:07d}",
        "法定代表人": f"张{n}",
        "成立日期": "2010-06-18",
        "企业性质": "私营",
        "客户性质": "普通企业",
        "经营范围": f"自行车及配件批发第{n}类",
        "关键人员/名称": f"李{n}",
        "关键人员/职务": "采购负责人",
    }
    row.update(overrides)
    return [row[h] for h in HEADERS]


class TestArchiveImport(ArchiveCommon):
    """Existing Excel archive cards come in through Odoo's standard import."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._quiet_chinese_env()
        cls.importer = new_test_user(
            cls.env,
            login="ca_importer",
            lang="zh_CN",
            groups="base.group_partner_manager,sales_team.group_sale_salesman",
        )

    def _wizard(self, content, name="cards.csv", mimetype="text/csv"):
        return (
            self.env["base_import.import"]
            .with_user(self.importer)
            .with_context(lang="zh_CN")
            .create(
                {
                    "res_model": "customer.archive",
                    "file": content,
                    "file_name": name,
                    "file_type": mimetype,
                }
            )
        )

    def _options(self):
        return {
            "has_headers": True,
            "quoting": '"',
            "separator": ",",
            "encoding": "utf-8",
            "date_format": "%Y-%m-%d",
            "name_create_enabled_fields": {"partner_id": True},
            "import_skip_records": [],
            "import_set_empty_fields": [],
            "fallback_values": {},
        }

    def _csv(self, rows, headers=None):
        headers = headers or HEADERS
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        writer.writerows(rows)
        return buffer.getvalue().encode()

    def _import(self, rows, headers=None):
        headers = headers or HEADERS
        wizard = self._wizard(self._csv(rows, headers))
        preview = wizard.parse_preview(self._options())
        self.assertFalse(preview.get("error"), preview)
        fields = ["/".join(preview["matches"][i]) for i in range(len(headers))]
        self.assertEqual(fields, EXPECTED_FIELDS[: len(headers)])
        return wizard.execute_import(fields, headers, self._options())

    def _archives(self, names):
        return self.env["customer.archive"].search([("partner_id.name", "in", names)])

    def test_templates_map_automatically(self):
        for name, mimetype in (
            ("customer_archive_import_template.csv", "text/csv"),
            (
                "customer_archive_import_template.xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
        ):
            wizard = self._wizard((TEMPLATE_DIR / name).read_bytes(), name, mimetype)
            preview = wizard.parse_preview(self._options())
            self.assertFalse(preview.get("error"), preview)
            unmapped = [
                header
                for index, header in enumerate(preview["headers"])
                if not preview["matches"].get(index)
            ]
            self.assertFalse(unmapped, f"{name}: columns Odoo does not map")
            fields = [
                "/".join(preview["matches"][i]) for i in range(len(preview["headers"]))
            ]
            options = dict(self._options(), has_headers=True)
            if name.endswith(".xlsx"):
                options.pop("separator")
            result = wizard.execute_import(
                fields, preview["headers"], options, dryrun=True
            )
            self.assertFalse(
                [m for m in result["messages"] if m["type"] == "error"], name
            )
            self.assertEqual(len(result["ids"]), 2, name)

    def test_import_200_chinese_cards(self):
        existing = self.customer
        rows = [card_row(n) for n in range(1, 200)]
        # A card of a customer Odoo knows: matched by name, no new partner.
        rows.append(card_row(200, 客户=existing.name))
        partners_before = self.env["res.partner"].search_count([])
        result = self._import(rows)
        self.assertFalse(result["messages"], result["messages"])
        self.assertEqual(len(result["ids"]), 200)
        names = [f"测试导入{n:03d}号商贸有限公司" for n in range(1, 200)]
        archives = self._archives(names + [existing.name])
        self.assertEqual(len(archives), 200)
        self.assertEqual(sorted(archives.ids), sorted(result["ids"]))
        self.assertEqual(set(archives.mapped("state")), {"draft"})
        self.assertEqual(archives.user_id, self.importer)
        self.assertEqual(
            self.env["res.partner"].search_count([]) - partners_before, 199
        )
        self.assertIn(existing, archives.partner_id)
        archive = archives.filtered(
            lambda a: a.partner_id.name == "测试导入042号商贸有限公司"
        )
        self.assertEqual(archive.legal_representative, "张42")
        self.assertEqual(archive.business_scope, "自行车及配件批发第42类")
        self.assertEqual(archive.organisation_form, "private")
        self.assertEqual(archive.nature, "company")
        self.assertEqual(str(archive.founding_date), "2010-06-18")
        self.assertEqual(archive.contact_ids.mapped("name"), ["李42"])
        self.assertEqual(archive.contact_ids.role, "buyer")
        self.assertNotEqual(archive.name, "/")

    def _assert_nothing_imported(self, names):
        self.assertFalse(self._archives(names))
        self.assertFalse(self.env["res.partner"].search([("name", "in", names)]))

    def test_malformed_rows_reported_row_by_row_nothing_half_imported(self):
        rows = [
            card_row(1),
            card_row(2, 企业性质="外星企业"),
            card_row(3, 客户="", **{"关键人员/名称": "", "关键人员/职务": ""}),
            card_row(4),
        ]
        result = self._import(rows)
        self.assertFalse(result["ids"])
        errors = [m for m in result["messages"] if m["type"] == "error"]
        by_row = {m["rows"]["from"]: m["message"] for m in errors}
        # Data rows counted from 0 after the header: the 2nd and 3rd cards.
        self.assertEqual(sorted(by_row), [1, 2], errors)
        self.assertIn("外星企业", by_row[1])
        self.assertIn("客户", by_row[2])
        self._assert_nothing_imported(
            [f"测试导入{n:03d}号商贸有限公司" for n in (1, 2, 4)]
        )

    def test_bad_date_names_the_line_nothing_imported(self):
        rows = [card_row(1), card_row(2), card_row(3, 成立日期="2010-13-45")]
        result = self._import(rows)
        self.assertFalse(result.get("ids"))
        self.assertEqual(len(result["messages"]), 1)
        message = result["messages"][0]["message"]
        # The column and the line (3rd data row) are named.
        self.assertIn("founding_date", message)
        self.assertRegex(message, r"\D3\D")
        self._assert_nothing_imported(
            [f"测试导入{n:03d}号商贸有限公司" for n in (1, 2, 3)]
        )

    def test_imported_files_are_drafts(self):
        headers = HEADERS + ["状态"]
        rows = [card_row(1) + [""], card_row(2) + ["已审批"]]
        wizard = self._wizard(self._csv(rows, headers))
        fields = EXPECTED_FIELDS + ["state"]
        result = wizard.execute_import(fields, headers, self._options())
        self.assertFalse(result["ids"])
        errors = [m for m in result["messages"] if m["type"] == "error"]
        # Row 1 (the 2nd card) is named; Odoo's import repeats the error of its
        # failed batch attempt on the batch's first row, with the same customer.
        self.assertIn(1, [m["rows"]["from"] for m in errors])
        for error in errors:
            self.assertIn("草稿", error["message"])
            self.assertIn("测试导入002号商贸有限公司", error["message"])
        self._assert_nothing_imported(["测试导入001号商贸有限公司"])
