"""Excel exports of customer files (xlsxwriter): archive cards, the file register and
document catalogue, and the customer ledger (店头帐).

Every export reads with the acting user's rights (record rules decide which files are
exported), fetches records in batches of ``BATCH`` ids and writes rows in order in
xlsxwriter's ``constant_memory`` mode, so memory stays flat for tens of thousands of
files.
"""

import datetime

import xlsxwriter

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import split_every

from ..models.customer_archive import BASE_FIELDS, CHARACTERISTIC_FIELDS
from ..models.customer_archive_trade_mixin import TRADE_FIELDS
from .xlsx_rows import RowWriter, write_typed

BATCH = 1000
# One sheet per customer keeps a temporary file per sheet open: cap it.
MAX_SHEETS = 200
# Stacked cards: a new sheet every so many cards keeps sheets easy to scroll.
CARDS_PER_SHEET = 1000
CARD_COLUMNS = 8

CLASS_FIELDS = ["level_id", "nature", "lifecycle", "tier"]
CONTACT_FIELDS = ["role", "name", "phone"]
CONTACT_PERSONAL_FIELDS = ["birthday", "native_place", "education", "hobbies"]
REGISTER_FIELDS = [
    "name",
    "partner_id",
    "short_name",
    "nature",
    "level_id",
    "lifecycle",
    "tier",
    "user_id",
    "state",
    "create_date",
    "approved_date",
    "completeness",
]
CATALOGUE_FIELDS = [
    "year",
    "category_id",
    "name",
    "title",
    "archive_id",
    "partner_id",
    "signed_date",
    "expiry_date",
    "paper_number",
    "paper_location",
]


class CustomerArchiveXlsx(models.AbstractModel):
    _name = "customer.archive.xlsx"
    _description = "Customer File Excel Export"

    # ------------------------------------------------------------------ helpers
    @api.model
    def _workbook(self, fileobj):
        workbook = xlsxwriter.Workbook(
            fileobj,
            {
                "constant_memory": True,
                # Values are data, never formulas or numbers guessed from text.
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        styles = {
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "section": workbook.add_format(
                {"bold": True, "bg_color": "#D9E1F2", "border": 1}
            ),
            "label": workbook.add_format(
                {"bold": True, "bg_color": "#F2F2F2", "border": 1}
            ),
            "header": workbook.add_format(
                {"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True}
            ),
            "text": workbook.add_format({"border": 1, "text_wrap": True}),
            "date": workbook.add_format({"border": 1, "num_format": "yyyy-mm-dd"}),
            "number": workbook.add_format({"border": 1, "num_format": "#,##0.00"}),
            "integer": workbook.add_format({"border": 1, "num_format": "0"}),
        }
        return workbook, styles

    @api.model
    def _write(self, sheet, row, col, value, styles):
        """Write one typed cell; False/None stays an empty bordered cell."""
        write_typed(sheet, row, col, value, styles)

    @api.model
    def _label(self, model, fname, memo=None):
        """A field's label in the user's language (``memo``: one lookup per export)."""
        key = ("label", model, fname)
        if memo is not None and key in memo:
            return memo[key]
        if (model, fname) == ("customer.archive", "state"):
            # The field's own label ("State") reads as a province in Chinese.
            label = self.env._("File Status")
        else:
            label = self.env[model]._fields[fname]._description_string(self.env)
        if memo is not None:
            memo[key] = label
        return label

    @api.model
    def _selection_labels(self, model, fname, memo=None):
        """{value: label} of a selection field in the user's language."""
        key = ("selection", model, fname)
        labels = memo.get(key) if memo is not None else None
        if labels is None:
            field = self.env[model]._fields[fname]
            labels = dict(field._description_selection(self.env))
            if memo is not None:
                memo[key] = labels
        return labels

    @api.model
    def _value(self, record, fname, memo=None):
        """The display value of a field, selections in the user's language."""
        field = record._fields[fname]
        value = record[fname]
        if field.type == "selection":
            labels = self._selection_labels(record._name, fname, memo)
            return labels.get(value, value or "")
        if field.type == "many2one":
            return value.display_name or ""
        if field.type == "datetime" and value:
            return fields.Datetime.context_timestamp(record, value).date()
        if field.type == "monetary":
            return value or 0.0
        return value

    @api.model
    def _plain_related(self, field):
        """(link, field) of a field related to a plain stored text, number or date
        of a many-to-one (no translation, no company-dependent value), else None."""
        path = (field.related or "").split(".")
        if field.store or len(path) != 2:
            return None
        link = self.env[field.model_name]._fields[path[0]]
        if link.type != "many2one":
            return None
        target = self.env[link.comodel_name]._fields[path[1]]
        if (
            target.store
            and target.type in ("char", "text", "integer", "float", "date")
            and not getattr(target, "translate", False)
            and not target.company_dependent
            and target.type == field.type
        ):
            return path[0], path[1]
        return None

    @api.model
    def _values(self, records, fnames, memo=None):
        """``[{fname: _value(record, fname)}]`` for each record, in order: scalar
        fields read a column at a time (``mapped``: one cache lookup per field,
        not per record), many-to-ones record by record for their names, a related
        text or number of a linked record (e.g. the customer's tax ID) from the
        linked records, as the related field reads it (as superuser), without
        computing the related field record by record."""
        columns, links = [], {}
        for fname in fnames:
            field = records._fields[fname]
            target = self._plain_related(field)
            if target:
                link, target_name = target
                if link not in links:
                    links[link] = [record[link].id for record in records]
                linked = records[link]
                if field.compute_sudo:
                    linked = linked.sudo()
                by_id = dict(zip(linked.ids, linked.mapped(target_name), strict=True))
                column = [by_id.get(link_id, False) for link_id in links[link]]
            elif field.type == "many2one":
                column = [self._value(record, fname, memo) for record in records]
            else:
                column = records.mapped(fname)
                if field.type == "selection":
                    labels = self._selection_labels(records._name, fname, memo)
                    column = [labels.get(value, value or "") for value in column]
                elif field.type == "datetime":
                    column = [
                        value
                        and fields.Datetime.context_timestamp(records, value).date()
                        for value in column
                    ]
                elif field.type == "monetary":
                    column = [value or 0.0 for value in column]
            columns.append(column)
        return [
            dict(zip(fnames, row, strict=True)) for row in zip(*columns, strict=True)
        ]

    @api.model
    def _address(self, partner):
        parts = [
            partner.street,
            partner.street2,
            partner.city,
            partner.state_id.name,
            partner.zip,
            partner.country_id.name,
        ]
        return " ".join(p for p in parts if p)

    # -------------------------------------------------------------- archive card
    @api.model
    def _card_texts(self):
        """The card's fixed texts in the user's language, looked up once."""
        return {
            "title": self.env._("Customer File Card"),
            "base": self.env._("Base Data"),
            "address": self.env._("Address"),
            "classification": self.env._("Classification"),
            "characteristics": self.env._("Characteristics"),
            "people": self.env._("Key People"),
            "trade": self.env._("Transaction Status"),
            "keeping": self.env._("File Keeping"),
        }

    @api.model
    def _card_rows(self, archive, contacts, memo=None, values=None):
        """The paper card (客户档案卡) as a list of rows; a row is a list of
        (value, style) cells. Sections as the seeds' cards group them.

        ``contacts``: the key people's display values (``_contact_rows``).
        ``memo`` (a dict kept for one export) holds the labels and texts, which are
        the same on every card. ``values``: the file's display values if read
        already for a batch (``_values``, the transaction figures from
        ``_trade_status_values``), else read from the fields."""
        memo = {} if memo is None else memo
        model = "customer.archive"

        def label(model, fname):
            return self._label(model, fname, memo)

        def value(record, fname):
            if values is not None:
                return values[fname]
            return self._value(record, fname, memo)

        if "texts" not in memo:
            memo["texts"] = self._card_texts()
            memo["personal"] = self._personal_data_visible()
        texts = memo["texts"]
        rows = [
            [(texts["title"], "title")],
            [
                (label(model, "name"), "label"),
                (archive.name, "text"),
                (label(model, "full_name"), "label"),
                (archive.partner_id.name, "text"),
            ],
            [(texts["base"], "section")],
            [
                (texts["address"], "label"),
                (self._address(archive.partner_id), "text"),
                (label("res.partner", "zip"), "label"),
                (archive.partner_id.zip, "text"),
            ],
        ]
        pairs = [(label(model, f), value(archive, f)) for f in BASE_FIELDS]
        rows += self._pair_rows(pairs)
        rows.append([(texts["classification"], "section")])
        pairs = [(label(model, f), value(archive, f)) for f in CLASS_FIELDS]
        rows += self._pair_rows(pairs)
        rows.append([(texts["characteristics"], "section")])
        for fname in CHARACTERISTIC_FIELDS:
            rows.append(
                [(label(model, fname), "label"), (value(archive, fname), "text")]
            )
        rows.append([(texts["people"], "section")])
        contact_fields = CONTACT_FIELDS + (
            CONTACT_PERSONAL_FIELDS if memo["personal"] else []
        )
        rows.append(
            [(label("customer.archive.contact", f), "header") for f in contact_fields]
        )
        for contact in contacts:
            rows.append([(cell, "text") for cell in contact])
        rows.append([(texts["trade"], "section")])
        # The file's own computed figures (customer_archive_trade_mixin.py): one rule.
        pairs = [(label(model, f), value(archive, f)) for f in TRADE_FIELDS]
        rows += self._pair_rows(pairs)
        rows.append([(texts["keeping"], "section")])
        pairs = [
            (label(model, f), value(archive, f))
            for f in ("user_id", "state", "approved_by_id", "approved_date")
        ]
        rows += self._pair_rows(pairs)
        rows.append(
            [
                (label(model, "completeness"), "label"),
                (value(archive, "completeness"), "text"),
            ]
        )
        return rows

    @api.model
    def _contact_rows(self, archive_ids, memo):
        """{file id: [display values of a key person, in the card's columns]} of the
        files' key people in their order. Personal data (for file users only) is
        read from the personal records under their own record rule, as the key
        person's personal fields read it (customer_archive_contact.py), in
        one query for all, not through the fields' compute."""
        personal = self._personal_data_visible()
        contacts = self.env["customer.archive.contact"].search_fetch(
            [("archive_id", "in", archive_ids)],
            CONTACT_FIELDS + ["archive_id"],
            order="archive_id, sequence, id",
        )
        privates = {}
        if personal and contacts:
            for private in self.env["customer.archive.contact.private"].search_fetch(
                [("contact_id", "in", contacts.ids)],
                CONTACT_PERSONAL_FIELDS + ["contact_id"],
            ):
                privates[private.contact_id.id] = private
        result = {}
        for contact in contacts:
            values = [self._value(contact, f, memo) for f in CONTACT_FIELDS]
            if personal:
                private = privates.get(contact.id)
                values += [
                    self._value(private, f, memo) if private else False
                    for f in CONTACT_PERSONAL_FIELDS
                ]
            result.setdefault(contact.archive_id.id, []).append(values)
        return result

    @api.model
    def _pair_rows(self, pairs):
        """Label/value pairs two to a row, as on the paper card."""
        rows = []
        for index in range(0, len(pairs), 2):
            row = []
            for text, value in pairs[index : index + 2]:
                row += [(text, "label"), (value, "text")]
            rows.append(row)
        return rows

    @api.model
    def _personal_data_visible(self):
        # Personal data of key people: visible to file users (owner, managers).
        return self.env.user.has_group("customer_archive.group_archive_user")

    @api.model
    def _card_sheet(self, workbook, name):
        sheet = workbook.add_worksheet(name)
        sheet.set_column(0, 0, 18)
        sheet.set_column(1, 1, 30)
        sheet.set_column(2, 2, 18)
        sheet.set_column(3, 3, 30)
        sheet.set_column(4, CARD_COLUMNS - 1, 14)
        return sheet

    @api.model
    def _sheet_name(self, name, used):
        clean = "".join("_" if c in "[]:*?/\\" else c for c in name)[:28] or "-"
        candidate, serial = clean, 1
        while candidate.lower() in used:
            serial += 1
            candidate = f"{clean[:25]}~{serial}"
        used.add(candidate.lower())
        return candidate

    @api.model
    def export_cards(
        self, fileobj, domain=None, archive_ids=None, one_sheet_each=False
    ):
        """Write the archive cards of the files the user may read (``archive_ids`` or
        ``domain``) into ``fileobj``: stacked on sheets of CARDS_PER_SHEET cards, or one
        sheet per customer. Returns the files exported."""
        Archive = self.env["customer.archive"]
        if archive_ids is not None:
            archives = Archive.search(
                [("id", "in", list(archive_ids))], order="name, id"
            )
        else:
            archives = Archive.search(domain or [], order="name, id")
        if not archives:
            raise UserError(self.env._("There is no customer file to export."))
        if one_sheet_each and len(archives) > MAX_SHEETS:
            raise UserError(
                self.env._(
                    "One sheet per customer is limited to %(max)s files; you selected "
                    "%(count)s. Export many cards in one sheet instead.",
                    max=MAX_SHEETS,
                    count=len(archives),
                )
            )
        # 操作日志: every exported file of another salesperson, in one INSERT.
        archives._log_file_access("export")
        all_ids = archives.ids
        workbook, styles = self._workbook(fileobj)
        used, writer, row_index, done = set(), None, 0, 0
        memo = {}
        card_fields = (
            BASE_FIELDS
            + CHARACTERISTIC_FIELDS
            + CLASS_FIELDS
            + ["user_id", "state", "approved_by_id", "approved_date", "completeness"]
        )
        for batch_ids in split_every(BATCH, all_ids, list):
            batch = Archive.browse(batch_ids)
            batch.fetch(card_fields + ["name", "partner_id"])
            contacts_by_archive = self._contact_rows(batch_ids, memo)
            values = self._values(batch, card_fields, memo)
            # The transaction status of the whole batch in one query, the values
            # its fields would hold (customer_archive_trade_mixin.py).
            for archive_values, trade in zip(
                values, batch._trade_status_values(), strict=True
            ):
                archive_values.update(trade)
            values_by_archive = dict(zip(batch_ids, values, strict=True))
            for archive in batch:
                sheet = None
                if one_sheet_each:
                    sheet = self._card_sheet(
                        workbook, self._sheet_name(archive.name, used)
                    )
                elif done % CARDS_PER_SHEET == 0:
                    last = min(done + CARDS_PER_SHEET, len(all_ids))
                    sheet = self._card_sheet(
                        workbook,
                        self.env._(
                            "Cards %(first)s-%(last)s", first=done + 1, last=last
                        ),
                    )
                if sheet is not None:
                    # Whole cards at once, the XML xlsxwriter writes (xlsx_rows.py).
                    writer = RowWriter(sheet, styles, CARD_COLUMNS)
                    row_index = 0
                rows = self._card_rows(
                    archive,
                    contacts_by_archive.get(archive.id, []),
                    memo,
                    values_by_archive[archive.id],
                )
                row_index = writer.write_rows(row_index, rows) + 1
                done += 1
            # Batch written: drop it from the cache, memory stays flat.
            self.env.invalidate_all()
        workbook.close()
        return Archive.browse(all_ids)

    # ------------------------------------------------- register and catalogue
    @api.model
    def export_register(self, fileobj, year=None, category=None):
        """The file register (档案登记表: files registered in ``year``) and the
        document catalogue (目录: documents by year and category) in one book."""
        Archive = self.env["customer.archive"]
        Document = self.env["customer.archive.document"]
        domain = []
        if year:
            start = datetime.datetime(int(year), 1, 1)
            domain = [
                ("create_date", ">=", start),
                ("create_date", "<", start.replace(year=start.year + 1)),
            ]
        archives = Archive.search(domain, order="name, id")
        doc_domain = []
        if year:
            doc_domain.append(("year", "=", str(year)))
        if category:
            doc_domain.append(("category_id", "=", category.id))
        documents = Document.search(
            doc_domain, order="year, category_id, signed_date, name, id"
        )
        if not archives and not documents:
            raise UserError(self.env._("There is no customer file to export."))
        archive_ids, document_ids = archives.ids, documents.ids
        workbook, styles = self._workbook(fileobj)

        sheet = workbook.add_worksheet(self.env._("File Register"))
        sheet.set_column(0, 0, 6)
        sheet.set_column(1, len(REGISTER_FIELDS), 16)
        headers = [self.env._("No.")] + [
            self._label("customer.archive", f) for f in REGISTER_FIELDS
        ]
        for col, text in enumerate(headers):
            sheet.write_string(0, col, text, styles["header"])
        sheet.freeze_panes(1, 0)
        row_index = 1
        memo = {}
        for batch_ids in split_every(BATCH, archive_ids, list):
            batch = Archive.browse(batch_ids)
            batch.fetch(REGISTER_FIELDS)
            for archive in batch:
                self._write(sheet, row_index, 0, row_index, styles)
                for col, fname in enumerate(REGISTER_FIELDS, 1):
                    self._write(
                        sheet, row_index, col, self._value(archive, fname, memo), styles
                    )
                row_index += 1
            self.env.invalidate_all()

        sheet = workbook.add_worksheet(self.env._("Document Catalogue"))
        sheet.set_column(0, 0, 8)
        sheet.set_column(1, len(CATALOGUE_FIELDS), 18)
        headers = [
            self._label("customer.archive.document", f) for f in CATALOGUE_FIELDS
        ]
        for col, text in enumerate(headers):
            sheet.write_string(0, col, text, styles["header"])
        sheet.freeze_panes(1, 0)
        row_index, group, catalogue_archive_ids = 1, None, set()
        for batch_ids in split_every(BATCH, document_ids, list):
            batch = Document.browse(batch_ids)
            batch.fetch(CATALOGUE_FIELDS)
            for document in batch:
                catalogue_archive_ids.add(document.archive_id.id)
                key = (document.year, document.category_id.id)
                if key != group:
                    group = key
                    sheet.merge_range(
                        row_index,
                        0,
                        row_index,
                        len(CATALOGUE_FIELDS) - 1,
                        f"{document.year} · {document.category_id.name}",
                        styles["section"],
                    )
                    row_index += 1
                for col, fname in enumerate(CATALOGUE_FIELDS):
                    value = self._value(document, fname, memo)
                    if fname == "archive_id":
                        value = document.archive_id.name
                    self._write(sheet, row_index, col, value, styles)
                row_index += 1
            self.env.invalidate_all()
        exported = Archive.browse(sorted(set(archive_ids) | catalogue_archive_ids))
        # 操作日志: the register's and the catalogue's files, in one INSERT.
        exported._log_file_access("export")
        workbook.close()
        return exported

    # ---------------------------------------------------------- customer ledger
    @api.model
    def _ledger_lines(self, partner, company, date_from, date_to):
        """Opening balance and the events of the ledger (店头帐) in date order:
        confirmed orders and validated deliveries (no effect on the balance), posted
        receivable lines (invoices and refunds raise or lower it, payments lower it).
        Read with the user's rights."""
        partners = [("partner_id", "child_of", partner.id)]
        company_domain = [("company_id", "=", company.id)]
        MoveLine = self.env["account.move.line"]
        receivable = (
            partners
            + company_domain
            + [
                ("parent_state", "=", "posted"),
                ("account_id.account_type", "=", "asset_receivable"),
            ]
        )
        # Payments without a journal entry yet (no outstanding account on the
        # journal, Odoo 18): the customer has paid, the books follow at bank matching.
        unbooked = (
            partners
            + company_domain
            + [
                ("move_id", "=", False),
                ("state", "=", "in_process"),
                ("partner_type", "=", "customer"),
            ]
        )
        Payment = self.env["account.payment"]
        opening = sum(
            MoveLine.search_fetch(
                receivable + [("date", "<", date_from)], ["balance"]
            ).mapped("balance")
        ) - sum(
            Payment.search_fetch(
                unbooked + [("date", "<", date_from)],
                ["amount_company_currency_signed"],
            ).mapped("amount_company_currency_signed")
        )
        events = []
        orders = self.env["sale.order"].search_fetch(
            partners + company_domain + [("state", "=", "sale")],
            ["name", "date_order", "amount_total", "client_order_ref"],
        )
        for order in orders:
            day = fields.Datetime.context_timestamp(order, order.date_order).date()
            if date_from <= day <= date_to:
                events.append(
                    (
                        day,
                        0,
                        order.id,
                        {
                            "type": self.env._("Sale Order"),
                            "ref": order.name,
                            "source": order.client_order_ref or "",
                            "order_amount": order.amount_total,
                        },
                    )
                )
        pickings = self.env["stock.picking"].search_fetch(
            partners
            + company_domain
            + [("picking_type_code", "=", "outgoing"), ("state", "=", "done")],
            ["name", "date_done", "origin"],
        )
        for picking in pickings:
            day = fields.Datetime.context_timestamp(picking, picking.date_done).date()
            if date_from <= day <= date_to:
                events.append(
                    (
                        day,
                        1,
                        picking.id,
                        {
                            "type": self.env._("Delivery"),
                            "ref": picking.name,
                            "source": picking.origin or "",
                            "delivered_qty": sum(picking.move_ids.mapped("quantity")),
                        },
                    )
                )
        lines = MoveLine.search_fetch(
            receivable + [("date", ">=", date_from), ("date", "<=", date_to)],
            ["date", "move_id", "move_name", "debit", "credit", "name", "payment_id"],
            order="date, id",
        )
        kinds = {
            "out_invoice": (2, self.env._("Invoice")),
            "out_refund": (2, self.env._("Credit Note")),
        }
        for line in lines:
            order_key, kind = kinds.get(
                line.move_id.move_type, (3, self.env._("Other Entry"))
            )
            if line.payment_id:
                order_key, kind = 3, self.env._("Payment")
            events.append(
                (
                    line.date,
                    order_key,
                    line.id,
                    {
                        "type": kind,
                        "ref": line.move_name,
                        "source": line.name or "",
                        "debit": line.debit or None,
                        "credit": line.credit or None,
                    },
                )
            )
        payments = Payment.search_fetch(
            unbooked + [("date", ">=", date_from), ("date", "<=", date_to)],
            ["name", "date", "memo", "amount_company_currency_signed"],
        )
        for payment in payments:
            amount = payment.amount_company_currency_signed
            events.append(
                (
                    payment.date,
                    3,
                    payment.id,
                    {
                        "type": self.env._("Payment"),
                        "ref": payment.name,
                        "source": payment.memo or "",
                        "debit": -amount if amount < 0 else None,
                        "credit": amount if amount > 0 else None,
                    },
                )
            )
        events.sort(key=lambda e: e[:3])
        return opening, [(e[0], e[3]) for e in events]

    @api.model
    def export_ledger(self, fileobj, partner, date_from, date_to, company=None):
        """The customer ledger (店头帐) of one customer and date range, with a running
        balance of the receivable. Only for a customer whose file the user may read."""
        company = company or self.env.company
        partner = partner.commercial_partner_id
        if date_from > date_to:
            raise UserError(
                self.env._("The start date must be on or before the end date.")
            )
        archives = self.env["customer.archive"].search(
            [("partner_id", "=", partner.id), ("company_id", "=", company.id)]
        )
        if not archives:
            raise UserError(
                self.env._(
                    "You can only export the ledger of a customer whose file you may "
                    "read: %(customer)s.",
                    customer=partner.display_name,
                )
            )
        # 操作日志: exporting the ledger is an export of the customer's file.
        archives._log_file_access("export")
        opening, events = self._ledger_lines(partner, company, date_from, date_to)
        workbook, styles = self._workbook(fileobj)
        sheet = workbook.add_worksheet(self.env._("Customer Ledger"))
        sheet.set_column(0, 0, 12)
        sheet.set_column(1, 3, 20)
        sheet.set_column(4, 8, 14)
        sheet.write_string(0, 0, self.env._("Customer Ledger"), styles["title"])
        sheet.write_string(1, 0, self.env._("Customer"), styles["label"])
        sheet.write_string(1, 1, partner.name, styles["text"])
        sheet.write_string(1, 2, self.env._("File Number"), styles["label"])
        sheet.write_string(1, 3, archives[0].name, styles["text"])
        sheet.write_string(2, 0, self.env._("Period"), styles["label"])
        sheet.write_string(
            2, 1, f"{date_from.isoformat()} ~ {date_to.isoformat()}", styles["text"]
        )
        sheet.write_string(2, 2, self.env._("Currency"), styles["label"])
        sheet.write_string(2, 3, company.currency_id.name, styles["text"])
        headers = [
            self.env._("Date"),
            self.env._("Type"),
            self.env._("Reference"),
            self.env._("Source"),
            self.env._("Order Amount"),
            self.env._("Delivered Quantity"),
            self.env._("Debit (Invoiced)"),
            self.env._("Credit (Paid)"),
            self.env._("Balance"),
        ]
        for col, text in enumerate(headers):
            sheet.write_string(4, col, text, styles["header"])
        self._write(sheet, 5, 0, date_from, styles)
        sheet.write_string(5, 1, self.env._("Opening Balance"), styles["text"])
        self._write(sheet, 5, 8, float(opening), styles)
        balance, row_index = opening, 6
        total_debit = total_credit = 0.0
        for day, event in events:
            debit, credit = event.get("debit") or 0.0, event.get("credit") or 0.0
            balance += debit - credit
            total_debit += debit
            total_credit += credit
            cells = [
                day,
                event["type"],
                event["ref"],
                event["source"],
                event.get("order_amount"),
                event.get("delivered_qty"),
                event.get("debit"),
                event.get("credit"),
                company.currency_id.round(balance),
            ]
            for col, value in enumerate(cells):
                self._write(sheet, row_index, col, value, styles)
            row_index += 1
        self._write(sheet, row_index, 0, date_to, styles)
        sheet.write_string(row_index, 1, self.env._("Closing Balance"), styles["label"])
        self._write(sheet, row_index, 6, total_debit, styles)
        self._write(sheet, row_index, 7, total_credit, styles)
        self._write(sheet, row_index, 8, company.currency_id.round(balance), styles)
        workbook.close()
        return archives
