from odoo import fields, models
from odoo.tools import SQL

# Models whose followers reveal a customer file.
ARCHIVE_THREAD_MODELS = ("customer.archive", "customer.archive.document")


class MailFollowers(models.Model):
    _inherit = "mail.followers"

    customer_archive_visible = fields.Boolean(
        compute="_compute_customer_archive_visible",
        search="_search_customer_archive_visible",
    )

    def _compute_customer_archive_visible(self):
        for follower in self:
            follower.customer_archive_visible = True

    def _search_customer_archive_visible(self, operator, value):
        """Followers of files (and their documents) the current user can read.

        Used by a global record rule, evaluated when the query runs: the files are
        searched as the user (not superuser), so their own rules decide."""
        env = self.env(su=False)
        clauses = []
        for model in ARCHIVE_THREAD_MODELS:
            Model = env[model]
            if Model.has_access("read"):
                query = Model._search([])
                clauses.append(
                    SQL(
                        "(res_model = %s AND res_id IN %s)",
                        model,
                        query.subselect(),
                    )
                )
        visible = SQL(
            "SELECT id FROM mail_followers WHERE %s",
            SQL(" OR ").join(clauses) if clauses else SQL("FALSE"),
        )
        positive = operator == "=" and value or operator == "!=" and not value
        return [("id", "in" if positive else "not in", SQL("(%s)", visible))]
