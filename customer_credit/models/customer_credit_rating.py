from odoo import api, fields, models


class CustomerCreditRating(models.Model):
    """A grade of the credit rating scale (信用等级), e.g. AAA ... C."""

    _name = "customer.credit.rating"
    _description = "Customer Credit Rating"
    _order = "sequence, id"
    # Odoo's import finds a rating by its code (AA) as well as by its name.
    _rec_names_search = ["code", "name"]

    sequence = fields.Integer(default=10)
    code = fields.Char(required=True)
    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    min_score = fields.Float(
        help="Lowest scorecard score (0-100) that suggests this grade."
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    suggested_limit = fields.Monetary(currency_field="currency_id")
    suggested_credit_days = fields.Integer()
    suggested_payment_term_id = fields.Many2one("account.payment.term")

    _sql_constraints = [
        (
            "min_score_range",
            "CHECK(min_score >= 0 AND min_score <= 100)",
            "The minimum score is between 0 and 100.",
        ),
        ("code_uniq", "unique(code, company_id)", "The rating code must be unique."),
    ]

    @api.depends("company_id")
    @api.depends_context("company")
    def _compute_currency_id(self):
        for rating in self:
            rating.currency_id = (rating.company_id or self.env.company).currency_id

    @api.model
    def _get_for_score(self, score, company=None):
        """The best grade whose minimum score ``score`` reaches."""
        company = company or self.env.company
        ratings = self.search(
            [("company_id", "in", [False, company.id]), ("min_score", "<=", score)],
            order="min_score desc, sequence",
            limit=1,
        )
        return ratings
