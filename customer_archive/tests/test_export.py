import base64
import datetime
import io
import shutil
import zipfile
from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch

import openpyxl
import xlsxwriter

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError

from ..report import archive_xlsx, xlsx_rows
from ..report.xlsx_rows import RowWriter
from .common import ArchiveCommon

ZH = {"lang": "zh_CN"}


def read_book(content):
    return openpyxl.load_workbook(io.BytesIO(content), read_only=True)


def sheet_rows(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def card_pairs(rows):
    """Label -> value of the label/value pairs of a card (columns A/B and C/D)."""
    pairs = {}
    for row in rows:
        for col in (0, 2):
            if len(row) > col + 1 and isinstance(row[col], str) and row[col]:
                pairs.setdefault(row[col], row[col + 1])
    return pairs


class TestExportCommon(ArchiveCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._quiet_chinese_env()
        cls.other_salesperson = cls._create_user("ca_sales_other", "seller")
        cls.cn_partner = cls.env["res.partner"].create(
            {
                "name": "天津丸石自行车贸易有限公司",
                "is_company": True,
                "street": "和平路88号",
                "city": "天津",
                "zip": "300000",
                "vat": "91120000MA05TEST1A",
            }
        )
        cls.cn_file = cls._create_approved_file(
            cls.cn_partner,
            nature="company",
            short_name="丸石",
            phone="022-23456789",
            license_number="LIC-丸石-001",
            bank_name="中国工商银行天津分行",
            bank_account="0302001234567890123",
            legal_representative="王建国",
            registered_capital=500000.0,
            founding_date=datetime.date(2008, 5, 18),
            organisation_form="private",
            employee_count=45,
            market_area="华北",
            business_scope="自行车批发零售",
            competitors="捷安特、凤凰",
            contact_ids=[
                Command.create(
                    {
                        "role": "legal",
                        "name": "王建国",
                        "phone": "13800001111",
                        "birthday": datetime.date(1970, 3, 8),
                        "native_place": "河北沧州",
                        "hobbies": "钓鱼",
                    }
                ),
                Command.create({"role": "buyer", "name": "李娜", "sequence": 20}),
            ],
        )
        cls.second_partner = cls._create_customer("上海浦东五金商行")
        cls.second_file = cls._create_file(cls.second_partner, short_name="浦东五金")
        cls.foreign_partner = cls._create_customer("北京别人的客户有限公司")
        cls.foreign_file = cls._create_file(
            cls.foreign_partner, user_id=cls.other_salesperson.id
        )

    def _xlsx(self, user, lang=True):
        Xlsx = self.env["customer.archive.xlsx"].with_user(user)
        return Xlsx.with_context(**ZH) if lang else Xlsx

    def _card_html(self):
        """The PDF archive card of the Chinese file, as HTML, printed by its
        salesperson in zh_CN."""
        report = self.env.ref("customer_archive.customer_archive_report_card")
        html, _ = (
            self.env["ir.actions.report"]
            .with_user(self.salesperson)
            .with_context(**ZH)
            ._render_qweb_html(report.report_name, self.cn_file.ids)
        )
        return html.decode()

    def _reference_cards(self, user, archives):
        """The cards of ``archives`` as one sheet, the way the export wrote them
        before it wrote whole cards: every value read through the fields (the key
        people's personal data and the transaction status through their computed
        fields) and written cell by cell with xlsxwriter's own calls."""
        Xlsx = self._xlsx(user)
        archives = archives.with_user(user).with_context(**ZH)
        buffer = io.BytesIO()
        workbook, styles = Xlsx._workbook(buffer)
        name = Xlsx.env._("Cards %(first)s-%(last)s", first=1, last=len(archives))
        sheet = Xlsx._card_sheet(workbook, name)
        writer = RowWriter(sheet, styles, archive_xlsx.CARD_COLUMNS)
        personal = Xlsx._personal_data_visible()
        contact_fields = archive_xlsx.CONTACT_FIELDS + (
            archive_xlsx.CONTACT_PERSONAL_FIELDS if personal else []
        )
        memo, row_index = {}, 0
        for archive in archives.sorted(lambda a: (a.name, a.id)):
            contacts = [
                [Xlsx._value(contact, f, memo) for f in contact_fields]
                for contact in archive.contact_ids
            ]
            rows = Xlsx._card_rows(archive, contacts, memo)
            row_index = writer._write_rows_per_cell(row_index, rows) + 1
        workbook.close()
        return buffer.getvalue()

    def assertSameBook(self, content, reference):
        """Every part of the two xlsx files is the same, byte for byte (but the
        creation time in the document properties)."""
        with (
            zipfile.ZipFile(io.BytesIO(content)) as book,
            zipfile.ZipFile(io.BytesIO(reference)) as expected,
        ):
            self.assertEqual(book.namelist(), expected.namelist())
            for name in book.namelist():
                if name == "docProps/core.xml":
                    continue
                self.assertEqual(
                    book.read(name).decode(), expected.read(name).decode(), name
                )


class TestArchiveCardExport(TestExportCommon):
    def test_whole_cards_write_what_the_fields_cell_by_cell_write(self):
        """The export reads the key people's personal data and the transaction
        status without their fields and writes whole cards as one string: the book
        is byte for byte the one the fields written cell by cell give, awkward
        texts included (XML characters, spaces at the ends, line breaks, control
        characters, xlsxwriter's escapes, an empty value)."""
        # the whole-card path is the one under test here (other xlsxwriter
        # releases write through xlsxwriter's own calls)
        self.assertIn(xlsxwriter.__version__, xlsx_rows.VERIFIED_XLSXWRITER)
        awkward = self._create_approved_file(
            self.env["res.partner"].create(
                {
                    "name": 'A&B <贸易> "公司"',
                    "is_company": True,
                    "zip": " 300000",
                    "vat": "91310000 X&Y ",
                    "email": "sales@example.cn",
                    "website": "https://example.cn/a?b=1&c=2",
                }
            ),
            short_name="  前后空格  ",
            phone="",
            bank_name="银行\x07响铃",
            bank_account="_x0041_ 不是 A",
            market_area="<r>不是富文本</r>",
            business_scope="第一行\n第二行\n",
            competitors="a & b < c > d",
            floor_area=1234.5,
            employee_count=0,
            contact_ids=[
                Command.create(
                    {
                        "role": "finance",
                        "name": "赵 & 钱",
                        "phone": "\t0123",
                        "birthday": datetime.date(1900, 2, 28),
                        "education": "本科",
                    }
                )
            ],
        )
        # Cards laid out as one before them (as many key people): written from the
        # first one's template.
        twin = self._create_approved_file(
            self._create_customer("天津{双胞胎}商行"),
            short_name="{0} & {1}",
            registered_capital=0.1 + 0.2,
            founding_date=datetime.date(2020, 2, 29),
            employee_count=7,
            contact_ids=[
                Command.create({"role": "legal", "name": "{孙}", "hobbies": "<b>"}),
                Command.create({"role": "other", "name": "周", "birthday": False}),
            ],
        )
        plain = self._create_file(self._create_customer("普通商行"))
        files = self.cn_file | self.second_file | awkward | twin | plain
        buffer = io.BytesIO()
        self._xlsx(self.salesperson).export_cards(buffer, archive_ids=files.ids)
        self.assertSameBook(
            buffer.getvalue(), self._reference_cards(self.salesperson, files)
        )
        # And read back: the texts as they were typed.
        single = io.BytesIO()
        self._xlsx(self.salesperson).export_cards(single, archive_ids=awkward.ids)
        pairs = card_pairs(sheet_rows(read_book(single.getvalue()).worksheets[0]))
        self.assertEqual(pairs["简称/别名"], "  前后空格  ")
        self.assertEqual(pairs["竞争对手"], "a & b < c > d")
        self.assertEqual(pairs["经营范围"], "第一行\n第二行\n")
        self.assertEqual(pairs["全名"], 'A&B <贸易> "公司"')
        self.assertEqual(pairs["税务识别码"], "91310000 X&Y ")
        # A file manager, not the files' salesperson: other rules, the same book.
        buffer = io.BytesIO()
        self._xlsx(self.file_manager).export_cards(buffer, archive_ids=files.ids)
        self.assertSameBook(
            buffer.getvalue(), self._reference_cards(self.file_manager, files)
        )

    def test_card_cells_match_the_file_in_chinese(self):
        buffer = io.BytesIO()
        exported = self._xlsx(self.salesperson).export_cards(buffer)
        # Record rules decide: the other salesperson's file is not exported.
        self.assertEqual(exported, self.cn_file | self.second_file)
        book = read_book(buffer.getvalue())
        self.assertEqual(len(book.sheetnames), 1)
        rows = sheet_rows(book.worksheets[0])
        flat = [cell for row in rows for cell in row if cell is not None]
        self.assertNotIn(self.foreign_file.name, flat)
        self.assertNotIn("北京别人的客户有限公司", flat)
        # Two cards stacked, each starting with its title.
        self.assertEqual(flat.count("客户档案卡"), 2)
        start = next(
            i for i, row in enumerate(rows) if self.cn_file.name in row and i > 0
        )
        end = next(
            (i for i, row in enumerate(rows) if i > start and row[0] == "客户档案卡"),
            len(rows),
        )
        card = rows[start - 1 : end]
        pairs = card_pairs(card)
        self.assertEqual(pairs["档案编号"], self.cn_file.name)
        self.assertEqual(pairs["全名"], "天津丸石自行车贸易有限公司")
        self.assertEqual(pairs["简称/别名"], "丸石")
        self.assertEqual(pairs["电话（含区号）"], "022-23456789")
        self.assertEqual(pairs["法定代表人"], "王建国")
        self.assertEqual(pairs["银行"], "中国工商银行天津分行")
        self.assertEqual(pairs["注册资本"], 500000.0)
        self.assertEqual(pairs["成立日期"], datetime.datetime(2008, 5, 18))
        self.assertEqual(pairs["企业性质"], "私营")
        self.assertEqual(pairs["客户性质"], "普通企业")
        self.assertEqual(pairs["员工"], 45)
        self.assertEqual(pairs["市场区域"], "华北")
        self.assertEqual(pairs["竞争对手"], "捷安特、凤凰")
        self.assertIn("和平路88号", pairs["地址"])
        self.assertEqual(pairs["档案状态"], "已审批")
        for section in ("基础资料", "客户特征", "关键人员", "交易状况"):
            self.assertIn(section, flat)
        # Key people, in their order, with personal data for the owner.
        header = next(i for i, row in enumerate(card) if row[1] == "名称")
        self.assertEqual(card[header][0], "职务")
        self.assertEqual(card[header + 1][:3], ["法定代表人", "王建国", "13800001111"])
        self.assertIn("河北沧州", card[header + 1])
        self.assertIn(datetime.datetime(1970, 3, 8), card[header + 1])
        self.assertEqual(card[header + 2][:2], ["采购负责人", "李娜"])

    def test_one_sheet_per_customer(self):
        buffer = io.BytesIO()
        self._xlsx(self.salesperson).export_cards(
            buffer,
            archive_ids=(self.cn_file | self.foreign_file).ids,
            one_sheet_each=True,
        )
        book = read_book(buffer.getvalue())
        # The file the user may not read is left out even when asked for.
        self.assertEqual(book.sheetnames, [self.cn_file.name])
        pairs = card_pairs(sheet_rows(book[self.cn_file.name]))
        self.assertEqual(pairs["全名"], "天津丸石自行车贸易有限公司")

    def test_nothing_to_export_is_refused(self):
        user = self._create_user("ca_sales_empty", "seller")
        with self.assertRaisesRegex(UserError, "no customer file to export"):
            self._xlsx(user, lang=False).export_cards(io.BytesIO())

    def test_wizard_download_as_salesperson(self):
        wizard = (
            self.env["customer.archive.export.wizard"]
            .with_user(self.salesperson)
            .with_context(
                active_model="customer.archive", active_ids=self.cn_file.ids, **ZH
            )
            .create({"export_type": "card"})
        )
        self.assertEqual(wizard.archive_ids, self.cn_file)
        action = wizard.action_export()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertTrue(wizard.filename.endswith(".xlsx"))
        book = read_book(base64.b64decode(wizard.data))
        pairs = card_pairs(sheet_rows(book.worksheets[0]))
        self.assertEqual(pairs["档案编号"], self.cn_file.name)
        # The form opens for a salesperson; the register goes through the same
        # wizard; a ledger needs its customer.
        Wizard = self.env["customer.archive.export.wizard"].with_user(self.salesperson)
        self.assertIn(
            "export_type",
            Wizard.get_views([(False, "form")])["models"][
                "customer.archive.export.wizard"
            ]["fields"],
        )
        register = Wizard.create({"export_type": "register"})
        register.action_export()
        self.assertEqual(
            read_book(base64.b64decode(register.data)).sheetnames,
            ["File Register", "Document Catalogue"],
        )
        ledger = Wizard.create({"export_type": "ledger"})
        with self.assertRaisesRegex(UserError, "customer and the period"):
            ledger.action_export()

    def test_pdf_card_html_in_chinese(self):
        report = self.env.ref("customer_archive.customer_archive_report_card")
        html = self._card_html()
        for text in (
            "客户档案卡",
            "基础资料",
            "关键人员",
            "交易状况",
            "天津丸石自行车贸易有限公司",
            "王建国",
            "采购负责人",
            "私营",
            self.cn_file.name,
        ):
            self.assertIn(text, html)
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(self.salesperson)._render_qweb_html(
                report.report_name, self.foreign_file.ids
            )
        if shutil.which("wkhtmltopdf"):
            pdf, _ = (
                self.env["ir.actions.report"]
                .with_user(self.salesperson)
                .with_context(**ZH, force_report_rendering=True)
                ._render_qweb_pdf(report.report_name, self.cn_file.ids)
            )
            self.assertTrue(pdf.startswith(b"%PDF"))


class TestRegisterExport(TestExportCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.category = cls.env["customer.archive.category"].create(
            {"code": "TX", "name": "合同协议(测试)"}
        )
        year = fields.Date.today().year
        cls.document = cls.env["customer.archive.document"].create(
            {
                "archive_id": cls.cn_file.id,
                "category_id": cls.category.id,
                "title": "年度经销合同",
                "signed_date": datetime.date(year, 1, 15),
                "paper_number": "纸-2024-001",
                "paper_location": "档案室A柜3层",
            }
        )
        cls.foreign_document = cls.env["customer.archive.document"].create(
            {
                "archive_id": cls.foreign_file.id,
                "category_id": cls.category.id,
                "title": "别人的合同",
                "signed_date": datetime.date(year, 2, 1),
            }
        )

    def test_register_and_catalogue(self):
        year = fields.Date.today().year
        buffer = io.BytesIO()
        exported = self._xlsx(self.salesperson).export_register(
            buffer, year=year, category=self.category
        )
        self.assertEqual(exported, self.cn_file | self.second_file)
        book = read_book(buffer.getvalue())
        self.assertEqual(book.sheetnames, ["档案登记表", "档案目录"])
        register = sheet_rows(book["档案登记表"])
        self.assertEqual(register[0][:4], ["序号", "档案编号", "客户", "简称/别名"])
        by_number = {row[1]: row for row in register[1:]}
        self.assertEqual(set(by_number), {self.cn_file.name, self.second_file.name})
        row = by_number[self.cn_file.name]
        self.assertEqual(row[2], "天津丸石自行车贸易有限公司")
        self.assertEqual(row[3], "丸石")
        self.assertEqual(row[4], "普通企业")
        self.assertEqual(row[9], "已审批")
        self.assertEqual(by_number[self.second_file.name][3], "浦东五金")
        catalogue = sheet_rows(book["档案目录"])
        self.assertEqual(catalogue[0][:4], ["年份", "类别", "文件编号", "标题"])
        self.assertEqual(catalogue[1][0], f"{year} · 合同协议(测试)")
        self.assertEqual(len(catalogue), 3, "the other salesperson's document is out")
        doc = catalogue[2]
        self.assertEqual(
            doc[:4], [str(year), "合同协议(测试)", self.document.name, "年度经销合同"]
        )
        self.assertEqual(doc[4], self.cn_file.name)
        self.assertEqual(doc[6], datetime.datetime(year, 1, 15))
        self.assertEqual(doc[8:10], ["纸-2024-001", "档案室A柜3层"])


class TestLedgerExport(TestExportCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The ledger tests the file's books; customer_credit's stop only warns here.
        for field in ("credit_order_strength", "credit_delivery_strength"):
            if field in cls.env["res.company"]._fields:
                cls.env["res.company"].search([])[field] = "warn"
        cls.stock_user = cls._create_user("ca_ledger_stock", "stock")
        cls.invoice_user = cls._create_user("ca_ledger_invoice", "invoicing")
        cls.product = cls._create_product()
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.date_from = cls.today - timedelta(days=30)
        # Before the period: an invoice of 200 makes the opening balance.
        old = cls._invoice(cls.today - timedelta(days=60), 200.0)
        old.with_user(cls.invoice_user).action_post()
        # In the period, the real flow as the people who do it.
        order = (
            cls.env["sale.order"]
            .with_user(cls.salesperson)
            .create(cls._order_vals(cls.cn_partner, cls.product, qty=10, price=100.0))
        )
        order.with_user(cls.salesperson).action_confirm()
        picking = order.picking_ids
        picking.move_ids.write({"quantity": 10.0, "picked": True})
        picking.with_user(cls.stock_user).button_validate()
        invoice = order.with_user(cls.invoice_user)._create_invoices()
        invoice.with_user(cls.invoice_user).action_post()
        refund = cls._invoice(cls.today, 100.0, move_type="out_refund")
        refund.with_user(cls.invoice_user).action_post()
        cls.env["account.payment.register"].with_user(cls.invoice_user).with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": 300.0, "payment_date": cls.today})._create_payments()
        cls.order, cls.picking, cls.invoice, cls.refund = (
            order,
            picking,
            invoice,
            refund,
        )

    @classmethod
    def _invoice(cls, date, amount, move_type="out_invoice"):
        return (
            cls.env["account.move"]
            .with_user(cls.invoice_user)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": cls.cn_partner.id,
                    "invoice_date": date,
                    # no payment term: due on its date
                    "invoice_date_due": date,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "服务费",
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )

    def test_ledger_running_balance(self):
        buffer = io.BytesIO()
        self._xlsx(self.salesperson).export_ledger(
            buffer, self.cn_partner, self.date_from, self.today
        )
        rows = sheet_rows(read_book(buffer.getvalue())["客户店头帐"])
        self.assertEqual(rows[1][:2], ["客户", "天津丸石自行车贸易有限公司"])
        self.assertEqual(rows[1][3], self.cn_file.name)
        self.assertEqual(rows[5][1], "期初余额")
        self.assertEqual(rows[5][8], 200.0)
        body = rows[6:-1]
        self.assertEqual(
            [(r[1], r[2]) for r in body],
            [
                ("销售订单", self.order.name),
                ("发货", self.picking.name),
                ("发票", self.invoice.name),
                ("贷项通知单", self.refund.name),
                ("收款", body[4][2]),
            ],
        )
        self.assertEqual(body[0][4], 1000.0)
        self.assertEqual(body[1][5], 10.0)
        self.assertEqual(body[1][3], self.order.name)
        # Orders and deliveries leave the balance; invoices raise it, refunds and
        # payments lower it.
        self.assertEqual([r[8] for r in body], [200.0, 200.0, 1200.0, 1100.0, 800.0])
        self.assertEqual([r[6] for r in body[2:4]], [1000.0, None])
        self.assertEqual([r[7] for r in body[3:]], [100.0, 300.0])
        closing = rows[-1]
        self.assertEqual(closing[1], "期末余额")
        self.assertEqual(closing[6:9], [1000.0, 400.0, 800.0])
        self.assertAlmostEqual(
            self.cn_partner.with_company(self.company).credit, closing[8]
        )
        # The same flow on the archive card's transaction status: the file's
        # computed figures (customer_archive_trade_mixin.py), labelled as the fields.
        buffer = io.BytesIO()
        self._xlsx(self.salesperson).export_cards(buffer, archive_ids=self.cn_file.ids)
        pairs = card_pairs(sheet_rows(read_book(buffer.getvalue()).worksheets[0]))
        self.assertEqual(pairs, pairs | self._expected_trade_cells())
        # ranked among the company's customers (demo data included)
        self.assertGreaterEqual(pairs["销售额排名"], 1)

    def _expected_trade_cells(self):
        """The card's transaction status of this flow, by Chinese label."""
        ordered = fields.Date.context_today(
            self.cn_file.with_user(self.salesperson), self.order.date_order
        )
        ordered = datetime.datetime.combine(ordered, datetime.time())
        old = self.today - timedelta(days=60)
        return {
            "首次订货日期": ordered,
            "最近订货日期": ordered,
            "已确认订单": 1,
            # invoices 200 + 1000, credit note 100, all in the last 12 months
            "最近 12 个月销售额": 1100.0,
            "本年销售额": 1100.0 if old.year == self.today.year else 900.0,
            "上年销售额": 200.0 if old.year < self.today.year else 0.0,
            "未结应收": 800.0,
            # the old invoice, due on its date; the credit note is not overdue
            "逾期应收": 200.0,
        }

    def test_card_transaction_status_one_query_per_batch(self):
        """The card's figures are computed per batch, by the trade model's one
        query, for each file its own figures."""
        files = self.cn_file | self.second_file
        queries = []
        with contextmanager(self._patchExecute)(queries):
            buffer = io.BytesIO()
            self._xlsx(self.salesperson).export_cards(buffer, archive_ids=files.ids)
        trade = [q for q in queries if "AS f(key, partner_id, company_id)" in q]
        self.assertEqual(len(trade), 1)
        rows = sheet_rows(read_book(buffer.getvalue()).worksheets[0])
        # each card starts on the row above its file number
        starts = sorted(
            (next(i for i, row in enumerate(rows) if archive.name in row) - 1, archive)
            for archive in files
        )
        ends = [start for start, __ in starts[1:]] + [len(rows)]
        cards = {
            archive: card_pairs(rows[start:end])
            for (start, archive), end in zip(starts, ends, strict=True)
        }
        first_card, second_card = cards[self.cn_file], cards[self.second_file]
        self.assertEqual(first_card, first_card | self._expected_trade_cells())
        self.assertEqual(second_card["已确认订单"], 0)
        self.assertEqual(second_card["最近 12 个月销售额"], 0.0)
        self.assertEqual(second_card["未结应收"], 0.0)
        # one query per batch: two batches of one file, two queries
        queries.clear()
        with (
            patch.object(archive_xlsx, "BATCH", 1),
            contextmanager(self._patchExecute)(queries),
        ):
            self._xlsx(self.salesperson).export_cards(
                io.BytesIO(), archive_ids=files.ids
            )
        trade = [q for q in queries if "AS f(key, partner_id, company_id)" in q]
        self.assertEqual(len(trade), 2)

    def test_card_trade_figures_as_the_fields_hold_them(self):
        """The transaction status read for the export without the fields (dates in
        the user's timezone, amounts in the currency's rounding): the same book as
        the computed fields give, written cell by cell."""
        files = self.cn_file | self.second_file
        buffer = io.BytesIO()
        self._xlsx(self.salesperson).export_cards(buffer, archive_ids=files.ids)
        self.assertSameBook(
            buffer.getvalue(), self._reference_cards(self.salesperson, files)
        )

    def test_pdf_card_transaction_status(self):
        report = self.env.ref("customer_archive.customer_archive_report_card")
        html = self._card_html()
        for text in (
            "最近 12 个月销售额",
            "1,100.00",
            "未结应收",
            "800.00",
            "逾期应收",
            "200.00",
            "已确认订单",
            fields.Date.context_today(
                self.cn_file.with_user(self.salesperson), self.order.date_order
            ).isoformat(),
        ):
            self.assertIn(text, html)
        # English labels follow the fields' strings.
        html, _ = (
            self.env["ir.actions.report"]
            .with_user(self.salesperson)
            .with_context(lang="en_US")
            ._render_qweb_html(report.report_name, self.cn_file.ids)
        )
        for text in (
            "Sales (Last 12 Months)",
            "Overdue Receivable",
            "Confirmed Orders",
        ):
            self.assertIn(text, html.decode())

    def test_ledger_only_for_a_readable_file(self):
        with self.assertRaisesRegex(UserError, "whose file you may read"):
            self._xlsx(self.other_salesperson, lang=False).export_ledger(
                io.BytesIO(), self.cn_partner, self.date_from, self.today
            )
        with self.assertRaisesRegex(UserError, "start date"):
            self._xlsx(self.salesperson, lang=False).export_ledger(
                io.BytesIO(), self.cn_partner, self.today, self.date_from
            )
