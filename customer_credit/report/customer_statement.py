"""The customer statement (对账单) of one customer, company and period.

Figures come from set-based SQL over the posted receivable lines of the commercial
partner and its contacts in the company (company currency): the opening balance
before the period, the period's documents in date order, and the open items, their
overdue amount and ageing as of the period's last day. The PDF and the Excel file
use the same figures.
"""

import datetime

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, get_lang

# Rows fetched at a time while the Excel file is written.
BATCH = 2000
AGE_BUCKETS = ("not_due", "age_1_30", "age_31_60", "age_61_90", "age_90_plus")


class CustomerCreditStatement(models.AbstractModel):
    _name = "customer.credit.statement"
    _description = "Customer Statement"

    # ----------------------------------------------------------------- rights
    @api.model
    def _check_statement_rights(self, partner, company):
        """Finance, the credit managers and the customer's salesperson."""
        Application = self.env["customer.credit.application"]
        if Application._credit_is_manager():
            return
        if self.env.user in Application._credit_salespeople(partner, company):
            return
        raise AccessError(
            self.env._(
                "Only finance, a credit manager or the salesperson of %(customer)s "
                "can print its statement.",
                customer=partner.commercial_partner_id.display_name,
            )
        )

    @api.model
    def _check_period(self, date_from, date_to):
        if not date_from or not date_to:
            raise UserError(self.env._("Choose the period of the statement."))
        if date_from > date_to:
            raise UserError(
                self.env._("The start date must be on or before the end date.")
            )

    # -------------------------------------------------------------------- SQL
    @api.model
    def _lines_scope(self, partner, company):
        """WHERE clause of the customer's posted receivable lines in ``company``."""
        return SQL(
            """
                aml.company_id = %(company)s
            AND aml.parent_state = 'posted'
            AND aml.partner_id IN (
                SELECT id FROM res_partner WHERE commercial_partner_id = %(partner)s
            )
            AND aml.account_id IN (
                SELECT id FROM account_account
                 WHERE account_type = 'asset_receivable'
            )
            """,
            company=company.id,
            partner=partner.commercial_partner_id.id,
        )

    @api.model
    def _flush(self):
        for model in (
            "account.move",
            "account.move.line",
            "account.partial.reconcile",
            "res.partner",
        ):
            self.env[model].flush_model()

    @api.model
    def _opening_balance(self, partner, company, date_from):
        self.env.cr.execute(
            SQL(
                """
                SELECT COALESCE(SUM(aml.balance), 0)
                  FROM account_move_line aml
                 WHERE %(scope)s AND aml.date < %(date_from)s
                """,
                scope=self._lines_scope(partner, company),
                date_from=date_from,
            )
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _movements_query(self, partner, company, date_from, date_to):
        """One row per journal entry of the period, in date order: date, entry,
        kind, reference, due date, debit, credit."""
        return SQL(
            """
            SELECT aml.date,
                   am.name,
                   CASE
                       WHEN BOOL_OR(aml.payment_id IS NOT NULL)
                            OR am.origin_payment_id IS NOT NULL THEN 'payment'
                       WHEN am.move_type = 'out_invoice' THEN 'invoice'
                       WHEN am.move_type = 'out_refund' THEN 'refund'
                       ELSE 'entry'
                   END AS kind,
                   COALESCE(am.ref, ''),
                   MAX(aml.date_maturity),
                   SUM(aml.debit),
                   SUM(aml.credit)
              FROM account_move_line aml
              JOIN account_move am ON am.id = aml.move_id
             WHERE %(scope)s
               AND aml.date >= %(date_from)s AND aml.date <= %(date_to)s
          GROUP BY aml.date, am.id
          ORDER BY aml.date, am.id
            """,
            scope=self._lines_scope(partner, company),
            date_from=date_from,
            date_to=date_to,
        )

    @api.model
    def _open_items(self, partner, company, date_to):
        """Open items as of ``date_to`` (what was matched after it still counts as
        open), one row per entry: entry, kind, date, due date, days overdue,
        residual."""
        self.env.cr.execute(
            SQL(
                """
                WITH items AS (
                    SELECT aml.move_id,
                           aml.date,
                           aml.date_maturity,
                           aml.balance
                             - COALESCE((
                                 SELECT SUM(pr.amount)
                                   FROM account_partial_reconcile pr
                                  WHERE pr.debit_move_id = aml.id
                                    AND pr.max_date <= %(date_to)s), 0)
                             + COALESCE((
                                 SELECT SUM(pr.amount)
                                   FROM account_partial_reconcile pr
                                  WHERE pr.credit_move_id = aml.id
                                    AND pr.max_date <= %(date_to)s), 0)
                               AS residual
                      FROM account_move_line aml
                     WHERE %(scope)s AND aml.date <= %(date_to)s
                )
                SELECT am.name,
                       am.move_type,
                       MIN(items.date),
                       MIN(items.date_maturity),
                       GREATEST(%(date_to)s - MIN(items.date_maturity), 0),
                       SUM(items.residual)
                  FROM items
                  JOIN account_move am ON am.id = items.move_id
                 WHERE items.residual != 0
              GROUP BY am.id, items.date_maturity
              ORDER BY MIN(items.date_maturity), am.id
                """,
                scope=self._lines_scope(partner, company),
                date_to=date_to,
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _kind_labels(self):
        return {
            "invoice": self.env._("Invoice"),
            "refund": self.env._("Credit Note"),
            "payment": self.env._("Payment"),
            "entry": self.env._("Other Entry"),
        }

    @api.model
    def _age_labels(self):
        return {
            "not_due": self.env._("Not Due"),
            "age_1_30": self.env._("1-30 Days"),
            "age_31_60": self.env._("31-60 Days"),
            "age_61_90": self.env._("61-90 Days"),
            "age_90_plus": self.env._("Over 90 Days"),
            "unapplied": self.env._("Unapplied Credits"),
        }

    @api.model
    def _summary(self, partner, company, date_from, date_to):
        """Opening balance, totals of the period, closing balance, overdue amount,
        ageing and overdue items; all in company currency."""
        self._check_period(date_from, date_to)
        self._flush()
        currency = company.currency_id
        opening = self._opening_balance(partner, company, date_from)
        self.env.cr.execute(
            SQL(
                """
                SELECT COALESCE(SUM(aml.debit), 0), COALESCE(SUM(aml.credit), 0),
                       COUNT(DISTINCT aml.move_id)
                  FROM account_move_line aml
                 WHERE %(scope)s
                   AND aml.date >= %(date_from)s AND aml.date <= %(date_to)s
                """,
                scope=self._lines_scope(partner, company),
                date_from=date_from,
                date_to=date_to,
            )
        )
        debit, credit, count = self.env.cr.fetchone()
        ageing = dict.fromkeys((*AGE_BUCKETS, "unapplied"), 0.0)
        overdue_items = []
        for name, move_type, date, due, days, residual in self._open_items(
            partner, company, date_to
        ):
            if residual < 0:
                ageing["unapplied"] += residual
                continue
            if not due or due >= date_to:
                ageing["not_due"] += residual
                continue
            bucket = (
                "age_1_30"
                if days <= 30
                else "age_31_60"
                if days <= 60
                else "age_61_90"
                if days <= 90
                else "age_90_plus"
            )
            ageing[bucket] += residual
            overdue_items.append(
                {
                    "name": name,
                    "move_type": move_type,
                    "date": date,
                    "date_due": due,
                    "days": days,
                    "residual": currency.round(residual),
                }
            )
        ageing = {key: currency.round(value) for key, value in ageing.items()}
        return {
            "partner": partner.commercial_partner_id,
            "company": company,
            "currency": currency,
            "date_from": date_from,
            "date_to": date_to,
            "opening": currency.round(opening),
            "debit": currency.round(debit),
            "credit": currency.round(credit),
            "closing": currency.round(opening + debit - credit),
            "count": count,
            "overdue": currency.round(sum(i["residual"] for i in overdue_items)),
            "overdue_items": overdue_items,
            "ageing": ageing,
        }

    @api.model
    def _iter_movements(self, partner, company, date_from, date_to, opening):
        """The period's entries with a running balance, fetched in batches."""
        currency = company.currency_id
        kinds = self._kind_labels()
        balance = opening
        cr = self.env.cr
        cr.execute(self._movements_query(partner, company, date_from, date_to))
        while True:
            rows = cr.fetchmany(BATCH)
            if not rows:
                break
            for date, name, kind, ref, due, debit, credit in rows:
                balance += debit - credit
                yield {
                    "date": date,
                    "name": name,
                    "kind": kinds[kind],
                    "ref": ref,
                    "date_due": due if kind == "invoice" else None,
                    "debit": debit,
                    "credit": credit,
                    "balance": currency.round(balance),
                }

    @api.model
    def _statement(self, partner, company, date_from, date_to):
        """Everything the PDF shows (rights checked)."""
        self._check_statement_rights(partner, company)
        summary = self._summary(partner, company, date_from, date_to)
        summary["lines"] = list(
            self._iter_movements(
                partner, company, date_from, date_to, summary["opening"]
            )
        )
        self._log_statement(partner, company, "print")
        return summary

    @api.model
    def _log_statement(self, partner, company, action):
        """操作日志: a printed or exported statement is a read of the file."""
        archives = self.env["customer.archive"].search(
            [
                ("partner_id", "=", partner.commercial_partner_id.id),
                ("company_id", "in", [company.id, False]),
            ]
        )
        archives._log_file_access(action)

    @api.model
    def _money_formatter(self):
        """A function formatting amounts as the monetary widget does, with the
        language read once: a statement may have thousands of lines."""
        lang = get_lang(self.env)
        thousands, decimal = lang.thousands_sep or "", lang.decimal_point or "."

        def fmt_money(amount, currency):
            text = f"{currency.round(amount) + 0.0:,.{currency.decimal_places}f}"
            text = text.translate(str.maketrans({",": thousands, ".": decimal}))
            text = text.replace("-", "-\N{ZERO WIDTH NO-BREAK SPACE}")
            symbol = currency.symbol or ""
            if currency.position == "before":
                return f"{symbol}\N{NO-BREAK SPACE}{text}"
            return f"{text}\N{NO-BREAK SPACE}{symbol}"

        return fmt_money

    @api.model
    def _report_values(self, docs, statements):
        """The values of a statement PDF: ``docs`` (statement wizards or credit
        files) and their statements by record id."""
        return {
            "doc_ids": docs.ids,
            "doc_model": docs._name,
            "docs": docs,
            "statements": statements,
            "kinds": self._kind_labels(),
            "age_labels": self._age_labels(),
            "age_keys": (*AGE_BUCKETS, "unapplied"),
            "today": fields.Date.context_today(self),
            "fmt_money": self._money_formatter(),
            "datetime": datetime,
        }

    # ------------------------------------------------------------------ Excel
    @api.model
    def _export_xlsx(self, fileobj, partner, company, date_from, date_to):
        """The statement as an Excel file (rows streamed, constant memory)."""
        self._check_statement_rights(partner, company)
        summary = self._summary(partner, company, date_from, date_to)
        self._log_statement(partner, company, "export")
        Xlsx = self.env["customer.archive.xlsx"]
        workbook, styles = Xlsx._workbook(fileobj)
        write = Xlsx._write
        sheet = workbook.add_worksheet(self.env._("Statement"))
        sheet.set_column(0, 0, 12)
        sheet.set_column(1, 3, 20)
        sheet.set_column(4, 7, 15)
        partner = summary["partner"]
        sheet.write_string(0, 0, self.env._("Customer Statement"), styles["title"])
        head = [
            (self.env._("Customer"), partner.name, self.env._("Company"), company.name),
            (
                self.env._("Period"),
                f"{date_from.isoformat()} ~ {date_to.isoformat()}",
                self.env._("Currency"),
                company.currency_id.name,
            ),
        ]
        for row, cells in enumerate(head, 1):
            for col, value in enumerate(cells):
                style = styles["label"] if col % 2 == 0 else styles["text"]
                sheet.write_string(row, col, value or "", style)
        headers = [
            self.env._("Date"),
            self.env._("Type"),
            self.env._("Number"),
            self.env._("Reference"),
            self.env._("Due Date"),
            self.env._("Debit (Invoiced)"),
            self.env._("Credit (Paid)"),
            self.env._("Balance"),
        ]
        row = 4
        for col, text in enumerate(headers):
            sheet.write_string(row, col, text, styles["header"])
        sheet.freeze_panes(row + 1, 0)
        row += 1
        write(sheet, row, 0, date_from, styles)
        sheet.write_string(row, 1, self.env._("Opening Balance"), styles["label"])
        write(sheet, row, 7, float(summary["opening"]), styles)
        for line in self._iter_movements(
            partner, company, date_from, date_to, summary["opening"]
        ):
            row += 1
            cells = (
                line["date"],
                line["kind"],
                line["name"],
                line["ref"],
                line["date_due"],
                float(line["debit"]) or None,
                float(line["credit"]) or None,
                float(line["balance"]),
            )
            for col, value in enumerate(cells):
                write(sheet, row, col, value, styles)
        row += 1
        write(sheet, row, 0, date_to, styles)
        sheet.write_string(row, 1, self.env._("Closing Balance"), styles["label"])
        write(sheet, row, 5, float(summary["debit"]), styles)
        write(sheet, row, 6, float(summary["credit"]), styles)
        write(sheet, row, 7, float(summary["closing"]), styles)
        row += 2
        sheet.write_string(
            row, 0, self.env._("Overdue as of %(date)s", date=date_to), styles["label"]
        )
        write(sheet, row, 1, float(summary["overdue"]), styles)
        row += 1
        labels = self._age_labels()
        for col, key in enumerate((*AGE_BUCKETS, "unapplied")):
            sheet.write_string(row, col, labels[key], styles["header"])
            write(sheet, row + 1, col, float(summary["ageing"][key]), styles)
        row += 3
        if summary["overdue_items"]:
            sheet.write_string(
                row, 0, self.env._("Overdue Invoices"), styles["section"]
            )
            row += 1
            for col, text in enumerate(
                [
                    self.env._("Number"),
                    self.env._("Date"),
                    self.env._("Due Date"),
                    self.env._("Days Overdue"),
                    self.env._("Amount Due"),
                ]
            ):
                sheet.write_string(row, col, text, styles["header"])
            for item in summary["overdue_items"]:
                row += 1
                cells = (
                    item["name"],
                    item["date"],
                    item["date_due"],
                    int(item["days"]),
                    float(item["residual"]),
                )
                for col, value in enumerate(cells):
                    write(sheet, row, col, value, styles)
        workbook.close()
        return summary


class ReportCustomerStatement(models.AbstractModel):
    """Values of the statement PDF: docs are statement wizards."""

    _name = "report.customer_credit.report_customer_statement"
    _description = "Customer Statement Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        wizards = self.env["customer.credit.statement.wizard"].browse(docids)
        wizards.check_access("read")
        Statement = self.env["customer.credit.statement"]
        statements = {
            wizard.id: Statement.with_company(wizard.company_id)._statement(
                wizard.partner_id, wizard.company_id, wizard.date_from, wizard.date_to
            )
            for wizard in wizards
        }
        return Statement._report_values(wizards, statements)


class ReportCustomerStatementProfile(models.AbstractModel):
    """The statement of a credit file for its default period (the last three
    months), e.g. attached to the overdue reminder."""

    _name = "report.customer_credit.report_customer_statement_profile"
    _description = "Customer Statement Report (Credit Profile)"

    @api.model
    def _get_report_values(self, docids, data=None):
        profiles = self.env["customer.credit.profile"].browse(docids)
        profiles.check_access("read")
        Statement = self.env["customer.credit.statement"]
        statements = {}
        for profile in profiles:
            date_from, date_to = profile._statement_default_period()
            statements[profile.id] = Statement.with_company(
                profile.company_id
            )._statement(profile.partner_id, profile.company_id, date_from, date_to)
        return Statement._report_values(profiles, statements)
