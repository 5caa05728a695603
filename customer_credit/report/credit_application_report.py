import datetime

from odoo import api, fields, models

# Investigation report sections (资信调查报告), in the order of the paper.
REPORT_SECTIONS = (
    "report_overview",
    "report_shareholders",
    "report_financial",
    "report_bank",
    "report_payment",
    "report_business",
    "report_evaluation",
    "report_proposal",
)


class ReportCreditApplication(models.AbstractModel):
    """Values of the credit application paper (客户资信评价表, PDF)."""

    _name = "report.customer_credit.report_credit_application"
    _description = "Credit Application Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["customer.credit.application"].browse(docids)
        # Printing is reading: the user's record rules decide.
        docs.check_access("read")
        return {
            "doc_ids": docs.ids,
            "doc_model": "customer.credit.application",
            "docs": docs,
            "sections": REPORT_SECTIONS,
            "label": self._label,
            "selection": self._selection,
            "signatures": self._signatures,
            "scorecard": self._scorecard,
            "file_number": self._file_number,
            "partner_address": self.env["customer.archive.xlsx"]._address,
            "fmt_date": self._fmt_date,
        }

    @api.model
    def _label(self, fname, model="customer.credit.application"):
        return self.env[model]._fields[fname]._description_string(self.env)

    @api.model
    def _selection(self, record, fname):
        field = record._fields[fname]
        return dict(field._description_selection(self.env)).get(record[fname], "")

    @api.model
    def _fmt_date(self, record, value):
        if not value:
            return ""
        if isinstance(value, datetime.datetime):
            value = fields.Datetime.context_timestamp(record, value)
        return value.strftime("%Y-%m-%d")

    @api.model
    def _file_number(self, app):
        """The customer's file number (客户编号), if the user may read the file."""
        # sudo: only the number is shown, to whoever may read the application.
        archive = (
            self.env["customer.archive"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", app.partner_id.commercial_partner_id.id),
                    ("company_id", "in", [app.company_id.id, False]),
                ],
                limit=1,
            )
        )
        return archive.name or ""

    @api.model
    def _signatures(self, app):
        """One signature row per approval level: level, reviewer, decision, date.

        The reviews are read with sudo: the reviewers' names and decisions belong on
        the paper whoever prints it (the printer may read the application). Before
        submission the levels the application would need are listed, unsigned.
        """
        decisions = {
            "approved": self.env._("Agreed"),
            "rejected": self.env._("Not Agreed"),
            "pending": self.env._("Pending"),
            "waiting": self.env._("Waiting"),
            "cancel": self.env._("Cancelled"),
        }
        rows = []
        reviews = app.sudo().review_ids.sorted(lambda r: (r.sequence, r.id))
        for review in reviews:
            decided = review.status in ("approved", "rejected")
            rows.append(
                {
                    "level": review.definition_id.name or "",
                    "reviewer": review.done_by.name
                    if decided
                    else ", ".join(review.reviewer_ids.mapped("name")),
                    "decision": decisions.get(review.status, ""),
                    "decided": decided,
                    "date": self._fmt_date(app, review.reviewed_date)
                    if decided
                    else "",
                    "comment": review.comment or "",
                }
            )
        if not reviews:
            definitions = (
                self.env["tier.definition"]
                .sudo()
                .search(
                    [
                        ("model", "=", app._name),
                        ("company_id", "in", [False, app.company_id.id]),
                    ],
                    order="sequence desc, id",
                )
            )
            for definition in definitions:
                if app.sudo().evaluate_tier(definition):
                    rows.append(
                        {
                            "level": definition.name,
                            "reviewer": "",
                            "decision": "",
                            "decided": False,
                            "date": "",
                            "comment": "",
                        }
                    )
        return rows

    @api.model
    def _scorecard(self, app):
        """The scorecard indicators with their points for the customer today."""
        Indicator = self.env["customer.credit.score.indicator"].sudo()
        indicators = Indicator.search(
            [("company_id", "in", [False, app.company_id.id])]
        )
        if not indicators:
            return []
        # sudo: the score reads the customer's open items; only figures result.
        inputs = Indicator._compute_inputs(app.partner_id, app.company_id)
        rows = []
        for indicator in indicators:
            value = inputs.get(indicator.computation)
            rows.append(
                {
                    "name": indicator.name,
                    "weight": indicator.weight,
                    "value": "" if value is None else f"{value:,.2f}",
                    "points": indicator._points_for(value),
                }
            )
        return rows
