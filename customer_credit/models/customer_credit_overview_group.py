from odoo import fields, models
from odoo.tools import SQL


class CustomerCreditOverview(models.Model):
    """Group figures of the credit overview (集团额度), in the same query.

    A customer under a group profile (a parent company whose limit covers its
    subsidiaries) is stopped on the group's limit and the group's summed exposure
    (``customer.credit.stop._credit_decide``). Its row shows those figures
    next to its own, computed in ``_table_query`` from the same exposure CTEs and
    with the rules of ``customer.credit.profile`` (``_compute_parent_profile_id``:
    nearest company ancestor with a group profile in the same company;
    ``_get_group_partners``: the active companies below it). Nothing is stored.
    """

    _inherit = "customer.credit.overview"

    group_profile_id = fields.Many2one(
        "customer.credit.profile",
        readonly=True,
        help="The group profile whose limit the credit stop applies to this "
        "customer; empty when the customer has its own limit only.",
    )
    group_limit = fields.Monetary(
        currency_field="currency_id",
        aggregator="max",
        readonly=True,
        help="Effective limit of the group profile.",
    )
    group_exposure = fields.Monetary(
        currency_field="currency_id",
        aggregator="max",
        readonly=True,
        help="Exposure of the parent company and all its subsidiaries in this "
        "company: what the credit stop adds up for this customer.",
    )
    group_available = fields.Monetary(
        string="Group Available Credit",
        currency_field="currency_id",
        aggregator="max",
        readonly=True,
    )

    def _group_ctes(self):
        """Recursive CTEs: ``group_partners`` (group_id, cpid) and
        ``profile_group`` (profile_id, group_id), written first in the WITH list."""
        return SQL(
            """
            group_roots AS (
                SELECT id, partner_id, company_id
                  FROM customer_credit_profile
                 WHERE use_group_limit
            ),
            group_tree AS (
                SELECT g.id AS group_id, g.partner_id
                  FROM group_roots g
                 UNION
                SELECT t.group_id, rp.id
                  FROM group_tree t
                  JOIN res_partner rp ON rp.parent_id = t.partner_id
            ),
            group_partners AS (
                SELECT t.group_id, t.partner_id AS cpid
                  FROM group_tree t
                  JOIN res_partner rp ON rp.id = t.partner_id
                 WHERE rp.active
                   AND rp.is_company
                   AND rp.commercial_partner_id = rp.id
                 UNION
                SELECT id, partner_id FROM group_roots
            ),
            ancestors AS (
                SELECT p.id AS profile_id, rp.parent_id AS partner_id, 1 AS depth
                  FROM customer_credit_profile p
                  JOIN res_partner rp ON rp.id = p.partner_id
                 WHERE rp.parent_id IS NOT NULL
                 UNION ALL
                SELECT a.profile_id, rp.parent_id, a.depth + 1
                  FROM ancestors a
                  JOIN res_partner rp ON rp.id = a.partner_id
                 WHERE rp.parent_id IS NOT NULL
                   AND a.depth < 100
            ),
            nearest_group AS (
                SELECT DISTINCT ON (a.profile_id) a.profile_id, g.id AS group_id
                  FROM ancestors a
                  JOIN customer_credit_profile p ON p.id = a.profile_id
                  JOIN res_partner rp ON rp.id = a.partner_id
                  JOIN customer_credit_profile g
                    ON g.partner_id = a.partner_id
                   AND g.company_id = p.company_id
                   AND g.use_group_limit
                 WHERE rp.is_company
              ORDER BY a.profile_id, a.depth
            ),
            profile_group AS (
                SELECT p.id AS profile_id,
                       COALESCE(n.group_id, CASE WHEN p.use_group_limit THEN p.id END)
                           AS group_id
                  FROM customer_credit_profile p
             LEFT JOIN nearest_group n ON n.profile_id = p.id
                 WHERE n.group_id IS NOT NULL OR p.use_group_limit
            )
            """
        )

    def _group_figures(self):
        """``group_exposure`` (profile_id, exposure): the summed exposure of the
        profile's group in its company, from the exposure CTEs. Summed once per
        group, not once per member; a member outside ``group_partners`` (an
        archived company) adds its own exposure, as the stop does."""
        return SQL(
            """
            partner_exposure AS (
                SELECT cpid, company_id, SUM(amount) AS amount
                  FROM (
                        SELECT cpid, company_id, receivable - unapplied AS amount
                          FROM open_items
                     UNION ALL
                        SELECT cpid, company_id, amount FROM uninvoiced
                     UNION ALL
                        SELECT cpid, company_id, amount FROM drafts
                       ) parts
              GROUP BY cpid, company_id
            ),
            group_total AS (
                SELECT g.id AS group_id, COALESCE(SUM(e.amount), 0) AS exposure
                  FROM group_roots g
                  JOIN group_partners gp ON gp.group_id = g.id
             LEFT JOIN partner_exposure e
                    ON e.cpid = gp.cpid AND e.company_id = g.company_id
              GROUP BY g.id
            ),
            group_exposure AS (
                SELECT pg.profile_id,
                       gt.exposure
                       + CASE WHEN gp.cpid IS NULL THEN COALESCE(e.amount, 0)
                              ELSE 0
                         END AS exposure
                  FROM profile_group pg
                  JOIN customer_credit_profile p ON p.id = pg.profile_id
                  JOIN group_total gt ON gt.group_id = pg.group_id
             LEFT JOIN group_partners gp
                    ON gp.group_id = pg.group_id AND gp.cpid = p.partner_id
             LEFT JOIN partner_exposure e
                    ON e.cpid = p.partner_id AND e.company_id = p.company_id
            )
            """
        )
