from odoo import fields, models


class CustomerArchiveLevelThreshold(models.Model):
    """Per company and level: the sales that reclassification (动态转换) asks for.

    Threshold method: a customer gets the level with the highest minimum amount its
    trailing-12-month sales reach. Pareto method: customers ranked by sales get the
    level whose cumulative share (%) covers the sales ranked before them.
    """

    _name = "customer.archive.level.threshold"
    _rec_name = "level_id"
    _description = "Customer Level Threshold"
    _order = "company_id, min_amount desc, id"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    level_id = fields.Many2one(
        "customer.archive.level", required=True, ondelete="cascade"
    )
    min_amount = fields.Monetary(
        string="Minimum 12-Month Sales",
        currency_field="currency_id",
        help="Threshold method: trailing-12-month posted sales (untaxed, company "
        "currency, refunds deducted) from which a customer gets this level.",
    )
    pareto_share = fields.Float(
        string="Cumulative Share (%)",
        help="Pareto method: the customers that make up the first this-many percent "
        "of the company's sales get this level (e.g. K 50, A 80, B 95, C 100).",
    )

    _sql_constraints = [
        (
            "company_level_uniq",
            "unique(company_id, level_id)",
            "A level has one threshold per company.",
        ),
        (
            "pareto_share_range",
            "CHECK(pareto_share >= 0 AND pareto_share <= 100)",
            "The cumulative share is a percentage between 0 and 100.",
        ),
    ]
