"""The demo's customers, made through the product's real flows.

One generator for both addons: ``customer.archive.demo`` makes the customers and their
files in every state (draft, submitted at each approval level, approved, rejected,
suspended, closed) with documents (tiny generated scans and PDFs, a contract about to
expire, one expired), key people and visits (one overdue); ``customer_credit`` extends
it (``customer.credit.demo``) with the credit situations. Files are created and
submitted by the demo salespeople and approved by the demo file manager and general
manager, so the approval trail, the change history and the chatter read as in a real
company.
"""

import base64
import csv
import io
import struct
import zlib

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.tools import file_open

# Dongguan / Shenzhen customers of the demo's trading company, one a line of
# demo/demo_customers.csv: key, full name, short name, city, street, phone,
# salesperson, nature, level, tier, story (empty level and tier: none). The story says
# which state the file ends in and how it got there: approved; submitted (waiting for
# the file manager) or submitted_manager_approved (for the general manager); draft,
# draft_no_licence, rejected, prospect; suspended, suspended_anomaly, closed.
DEMO_CUSTOMERS_CSV = "customer_archive/demo/demo_customers.csv"

# fmt: off
BUYERS = ["刘敏", "陈晓燕", "周杰", "吴海燕", "郑伟", "孙丽娟", "何永强", "林小红",
          "马俊", "罗静", "梁志明", "谢婷"]
LEGAL = ["王建华", "李国强", "张志刚", "陈伟明", "杨光", "黄海涛", "赵建军", "周永明",
         "吴国平", "徐立新", "孙宏伟", "胡文斌"]
BANKS = ["中国工商银行东莞分行", "中国建设银行深圳分行", "招商银行深圳分行",
         "中国农业银行东莞分行", "东莞农村商业银行", "平安银行深圳分行"]
# fmt: on


def _png(width=96, height=64, rgb=(200, 40, 40)):
    """A tiny PNG (a scan's placeholder: a coloured frame with a stamp-like square)."""
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            edge = x < 3 or y < 3 or x >= width - 3 or y >= height - 3
            stamp = (
                width * 5 // 8 < x < width * 7 // 8
                and height // 2 < y < height * 7 // 8
            )
            row += bytes(rgb) if edge or stamp else b"\xf4\xf1\xe8"
        rows.append(bytes(row))

    def chunk(tag, data):
        body = tag + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


def _pdf(lines):
    """A one-page PDF of a few ASCII lines (a document's placeholder, under 1 KB)."""
    text = (
        "BT /F1 12 Tf 56 780 Td 16 TL "
        + " ".join(
            "({}) '".format(
                line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            )
            for line in lines
        )
        + " ET"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text.encode()),
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _demo_customer_specs():
    """The rows of DEMO_CUSTOMERS_CSV as tuples (an empty value: False)."""
    with file_open(DEMO_CUSTOMERS_CSV, "rb") as table:
        rows = list(csv.reader(io.StringIO(table.read().decode("utf-8"))))
    return [tuple(value or False for value in row) for row in rows[1:]]


class CustomerArchiveDemo(models.AbstractModel):
    _name = "customer.archive.demo"
    _description = "Customer File Demo Data"

    @api.model
    def _demo_users(self):
        ref = self.env.ref
        return {
            "sales": ref("customer_archive.user_sales_demo"),
            "sales2": ref("customer_archive.user_sales2_demo"),
            "sales3": ref("customer_archive.user_sales3_demo"),
            "manager": ref("customer_archive.user_manager_demo"),
            "gm": ref("customer_archive.user_director_demo"),
            "archivist": ref("customer_archive.user_archivist_demo"),
        }

    @api.model
    def _demo_xmlid(self, record, name, module="customer_archive"):
        self.env["ir.model.data"]._update_xmlids(
            [{"xml_id": f"{module}.{name}", "record": record, "noupdate": True}]
        )

    @api.model
    def _demo_setup_users(self):
        """The demo people work in Chinese, in China's time zone."""
        users = self.env["res.users"].browse(
            [user.id for user in self._demo_users().values()]
        )
        values = {"tz": "Asia/Shanghai"}
        if self.env["res.lang"]._lang_get("zh_CN"):
            values["lang"] = "zh_CN"
        users.write(values)
        return True

    @api.model
    def _demo_attachment(self, document, filename, data, mimetype):
        # Created as the superuser (set-up data) and linked to the document: whoever
        # may read the document reads the attachment through it.
        return self.env["ir.attachment"].create(
            {
                "name": filename,
                "datas": base64.b64encode(data),
                "mimetype": mimetype,
                "res_model": "customer.archive.document",
                "res_id": document.id,
            }
        )

    @api.model
    def _demo_document(
        self, archive, category_xmlid, title, user, attach="png", **vals
    ):
        document = (
            self.env["customer.archive.document"]
            .with_user(user)
            .create(
                {
                    "archive_id": archive.id,
                    "category_id": self.env.ref(category_xmlid).id,
                    "title": title,
                    **vals,
                }
            )
        )
        if attach == "png":
            data, name, mimetype = _png(), f"{title}.png", "image/png"
        else:
            data = _pdf(
                [
                    "Demo document - generated, not a real paper",
                    f"File {archive.name}",
                    f"Document {document.name}",
                ]
            )
            name, mimetype = f"{title}.pdf", "application/pdf"
        attachment = self._demo_attachment(document, name, data, mimetype)
        document.sudo().attachment_ids = [Command.link(attachment.id)]
        return document

    @api.model
    def _demo_file(self, spec, index, module="customer_archive", first_trade_date=None):
        """A customer and its file, as the salesperson would enter them.

        ``first_trade_date``: None for a date years ago, False for none (the probation
        then runs from the customer's first invoice or order)."""
        (
            key,
            name,
            short,
            city,
            street,
            phone,
            seller,
            nature,
            level,
            tier,
            story,
        ) = spec
        users = self._demo_users()
        salesperson = users[seller]
        licence = f"9144{1900 + index:04d}MA{index:03d}{key[:3].upper()}"
        partner = (
            self.env["res.partner"]
            .with_user(salesperson)
            .create(
                {
                    "name": name,
                    "is_company": nature != "individual",
                    "city": city,
                    "street": street,
                    "country_id": self.env.ref("base.cn").id,
                    "state_id": self.env.ref("base.state_cn_GD").id,
                    "phone": phone,
                    "user_id": salesperson.id,
                    # 统一社会信用代码: the tax id is the licence number.
                    "vat": licence if story != "prospect" else False,
                }
            )
        )
        self._demo_xmlid(partner, f"partner_demo_{key}", module=module)
        today = fields.Date.context_today(self)
        values = {
            "partner_id": partner.id,
            "user_id": salesperson.id,
            "short_name": short,
            "phone": phone,
            "nature": nature,
            "lifecycle": "prospect" if story == "prospect" else "active",
            "market_area": "珠三角" if city in ("东莞", "深圳") else "华南",
            "business_scope": "批发、零售；货物进出口。",
        }
        if level:
            values["level_id"] = self.env.ref(
                f"customer_archive.customer_archive_level_{level}"
            ).id
        if tier:
            values["tier"] = tier
        if story != "prospect":
            values.update(
                license_number=licence,
                legal_representative=LEGAL[index % len(LEGAL)],
                bank_name=BANKS[index % len(BANKS)],
                bank_account=f"6222 0{index:03d} 2026 {1000 + index * 7}",
                organisation_form="individual" if nature == "individual" else "private",
                registered_capital=100000 * (1 + index % 10),
                founding_date=today
                - relativedelta(years=3 + index % 12, days=index * 11),
                employee_count=8 + index * 3,
                contact_ids=[
                    Command.create(
                        {
                            "role": "buyer",
                            "name": BUYERS[index % len(BUYERS)],
                            "phone": f"1380013{index:04d}",
                        }
                    ),
                    Command.create(
                        {
                            "role": "legal",
                            "name": LEGAL[index % len(LEGAL)],
                            "phone": f"1390026{index:04d}",
                        }
                    ),
                ],
            )
        if story != "prospect" and first_trade_date is not False:
            values["first_trade_date"] = first_trade_date or today - relativedelta(
                years=1 + index % 5, days=index * 5
            )
        archive = self.env["customer.archive"].with_user(salesperson).create(values)
        self._demo_xmlid(archive, f"customer_archive_demo_{key}", module=module)
        if story not in ("prospect", "draft_no_licence"):
            self._demo_document(
                archive,
                "customer_archive.customer_archive_category_base",
                "营业执照副本",
                salesperson,
                paper_number=f"YZ-{today.year}-{index:03d}",
                paper_location=f"档案室 A 柜 {1 + index % 4} 层",
            )
        if story in ("draft", "draft_no_licence", "prospect"):
            return archive
        archive.with_user(salesperson).action_submit()
        if story == "rejected":
            self.env["customer.archive.reject.wizard"].with_user(
                users["manager"]
            ).create(
                {
                    "archive_id": archive.id,
                    "reason": "营业执照复印件模糊不清，请重新扫描上传。",
                }
            ).action_reject()
            return archive
        if story == "submitted":
            return archive
        archive.with_user(users["manager"]).validate_tier()
        if story == "submitted_manager_approved":
            return archive
        if archive.state == "submitted":
            archive.with_user(users["gm"]).validate_tier()
        self._demo_approved_life(archive, spec, index)
        reasons = {
            "suspended": ("suspend", "近一年无交易，客户已转向其他供应商。"),
            "suspended_anomaly": (
                "suspend",
                "客户被列入经营异常名录，暂停合作待核实。",
            ),
            "closed": ("close", "客户已注销营业执照，停止合作。"),
        }
        if story in reasons:
            action, reason = reasons[story]
            self.env["customer.archive.state.wizard"].with_user(
                users["manager"]
            ).create(
                {
                    "archive_ids": [Command.set(archive.ids)],
                    "action": action,
                    "reason": reason,
                }
            ).action_apply()
        return archive

    @api.model
    def _demo_approved_life(self, archive, spec, index):
        """What an approved customer accumulates: a contract, visits."""
        salesperson = archive.user_id
        today = fields.Date.context_today(self)
        if index % 3 == 0:
            # Every third customer: a yearly contract; one about to expire, one expired.
            expiry = today + relativedelta(months=6 + index)
            if index == 3:
                expiry = today + relativedelta(days=20)
            elif index == 6:
                expiry = today - relativedelta(days=15)
            self._demo_document(
                archive,
                "customer_archive.customer_archive_category_contract",
                "年度经销合同",
                salesperson,
                attach="pdf",
                signed_date=expiry - relativedelta(years=1),
                expiry_date=expiry,
                paper_number=f"HT-{today.year}-{index:03d}",
            )
        if index % 4 == 1:
            self._demo_document(
                archive,
                "customer_archive.customer_archive_category_credit",
                "对账确认函",
                salesperson,
                attach="pdf",
            )
        buyer = archive.contact_ids.filtered(lambda c: c.role == "buyer")[:1]
        Visit = self.env["customer.visit"].with_user(salesperson)
        if index % 5 == 4:
            # Last visited long ago, the next visit planned and missed: overdue.
            Visit.create(
                {
                    "archive_id": archive.id,
                    "date": today - relativedelta(months=5),
                    "method": "onsite",
                    "contact_id": buyer.id,
                    "contact_role": "decision_maker",
                    "record": "介绍新季度产品，客户表示考虑增加品类。",
                    "conclusion": "需再次拜访确认订货量。",
                    "next_visit_date": today - relativedelta(days=20),
                }
            )
            return True
        for months, method, record, conclusion in (
            (2, "onsite", "拜访采购部，了解下季度需求。", "客户计划增加订货。"),
            (0, "phone", "电话回访上批货物到货情况。", "到货正常，客户满意。"),
        ):
            Visit.create(
                {
                    "archive_id": archive.id,
                    "date": today - relativedelta(months=months, days=index % 7),
                    "method": method,
                    "contact_id": buyer.id,
                    "contact_role": "user",
                    "record": record,
                    "conclusion": conclusion,
                    "next_visit_date": today + relativedelta(days=20 + index),
                }
            )
        return True

    @api.model
    def _demo_customers(self):
        """Called once by ``demo/customer_archive_demo.xml``."""
        self._demo_setup_users()
        for index, spec in enumerate(_demo_customer_specs(), 1):
            self._demo_file(spec, index)
        return True
