from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from .customer_archive_chain import cron_retrying


class CustomerArchiveReclassifyMixin(models.AbstractModel):
    """Levels of the customer files: pinning, history, yearly reclassification."""

    _name = "customer.archive.reclassify.mixin"
    _description = "Customer File: Level Reclassification"

    level_pinned = fields.Boolean(
        tracking=True,
        help="Set by a manager: reclassification leaves this file's level alone.",
    )
    level_history_ids = fields.One2many(
        "customer.archive.level.history",
        "archive_id",
        readonly=True,
    )

    def _check_pin_rights(self, pinning):
        if (
            pinning
            and not self.env.su
            and not self.env.user.has_group("customer_archive.group_archive_manager")
        ):
            raise AccessError(self.env._("Only a file manager can pin a level."))

    # Hooks of customer.archive's create and write ----------------------------------

    def _level_history_vals(self, vals):
        """History rows of the files whose level the write ``vals`` changes by hand
        (taken before the write, recorded after it)."""
        history = []
        if "level_id" in vals:
            for archive in self:
                if archive.level_id.id != (vals["level_id"] or False):
                    history.append(
                        {
                            "archive_id": archive.id,
                            "company_id": archive.company_id.id,
                            "old_level_id": archive.level_id.id,
                            "new_level_id": vals["level_id"] or False,
                            "method": "manual",
                        }
                    )
        return history

    def _level_history_record(self, history):
        if history:
            # sudo: the history is append-only and written by the system only; the
            # write on the file was checked against the user's rights.
            self.env["customer.archive.level.history"].sudo().create(history)

    @api.model
    def _reclassify_levels(self, companies=None, date=None):
        """Recompute the level of every unpinned live file of companies from its
        trailing-12-month posted sales; returns the ids of the files whose level
        changed (each with a history row). Three queries whatever the number of
        files: one computes the files whose level changes (sales, ranking, level),
        one locks the heads of the level history's hash chain, one updates the
        levels and inserts the history rows already sealed."""
        companies = companies or self.env["res.company"].search([])
        date = date or fields.Date.context_today(self)
        date_from = date - relativedelta(months=12)
        self.env["account.move"].flush_model(
            [
                "state",
                "move_type",
                "invoice_date",
                "company_id",
                "commercial_partner_id",
                "amount_untaxed_signed",
            ]
        )
        self.env["customer.archive"].flush_model(
            ["level_id", "level_pinned", "active", "state", "company_id", "partner_id"]
        )
        self.env["customer.archive.level.threshold"].flush_model()
        self.env["res.company"].flush_model(["archive_reclass_method"])
        query = SQL(
            """
WITH files AS (
    SELECT a.id, a.company_id, a.partner_id, a.level_id, a.level_pinned,
           c.archive_reclass_method AS method
      FROM customer_archive a
      JOIN res_company c ON c.id = a.company_id
     WHERE a.active AND a.state != 'closed'
       AND a.company_id = ANY(%(companies)s)
       AND EXISTS (SELECT 1 FROM customer_archive_level_threshold t
                    WHERE t.company_id = a.company_id)
), moves AS (
    SELECT m.commercial_partner_id, m.company_id,
           SUM(m.amount_untaxed_signed) AS amount
      FROM account_move m
     WHERE m.state = 'posted'
       AND m.move_type IN ('out_invoice', 'out_refund')
       AND m.invoice_date > %(date_from)s AND m.invoice_date <= %(date_to)s
       AND m.company_id = ANY(%(companies)s)
  GROUP BY m.commercial_partner_id, m.company_id
), sales AS (
    SELECT f.*, COALESCE(mv.amount, 0) AS amount,
           COALESCE(SUM(GREATEST(COALESCE(mv.amount, 0), 0)) OVER (
               PARTITION BY f.company_id
               ORDER BY COALESCE(mv.amount, 0) DESC, f.id
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before,
           SUM(GREATEST(COALESCE(mv.amount, 0), 0)) OVER (
               PARTITION BY f.company_id) AS total
      FROM files f
 LEFT JOIN moves mv ON mv.commercial_partner_id = f.partner_id
                   AND mv.company_id = f.company_id
), ranges AS (
    -- each company's thresholds as non-overlapping ranges of sales and of
    -- cumulative share; the lowest level takes everything below / beyond
    SELECT t.company_id, t.level_id,
           CASE WHEN ROW_NUMBER() OVER by_amount = 1 THEN NULL
                ELSE t.min_amount END AS lo_amount,
           LEAD(t.min_amount) OVER by_amount AS hi_amount,
           LAG(t.pareto_share) OVER by_share AS lo_share,
           CASE WHEN LEAD(t.id) OVER by_share IS NULL THEN NULL
                ELSE t.pareto_share END AS hi_share,
           LEAD(t.id) OVER by_share IS NULL AS lowest_share
      FROM customer_archive_level_threshold t
    WINDOW by_amount AS (PARTITION BY t.company_id ORDER BY t.min_amount, t.id),
           by_share AS (PARTITION BY t.company_id ORDER BY t.pareto_share, t.id)
), computed AS (
    SELECT s.id, s.company_id, s.level_id, s.level_pinned, s.method, s.amount,
           r.level_id AS new_level
      FROM (SELECT sales.*,
                   CASE WHEN amount > 0 AND total > 0
                        THEN (before * 100.0 / total)::float END AS pct
              FROM sales) s
      JOIN ranges r ON r.company_id = s.company_id AND CASE
           WHEN s.method = 'pareto' THEN CASE
                WHEN s.pct IS NULL THEN r.lowest_share
                ELSE (r.lo_share IS NULL OR s.pct >= r.lo_share)
                 AND (r.hi_share IS NULL OR s.pct < r.hi_share) END
           ELSE (r.lo_amount IS NULL OR s.amount >= r.lo_amount)
            AND (r.hi_amount IS NULL OR s.amount < r.hi_amount) END
), changed AS (
    SELECT * FROM computed
     WHERE NOT COALESCE(level_pinned, FALSE)
       AND new_level IS DISTINCT FROM level_id
)
SELECT ch.id, ch.company_id, ch.level_id, ch.new_level, ch.amount::text, ch.method,
       NOW() AT TIME ZONE 'UTC'
  FROM changed ch
 ORDER BY ch.id
            """,
            companies=companies.ids,
            date_from=date_from,
            date_to=date,
        )
        cr = self.env.cr
        cr.execute(query)
        rows = cr.fetchall()
        if not rows:
            return []
        # The history rows are sealed in the level history's hash chain as they are
        # inserted (one pass in Python over the rows, in file order), so each row is
        # written once. The heads are locked first: a parallel run waits, then fails
        # to serialise and is retried (see customer.archive.chain.mixin); so does a
        # parallel change of one of these files' level.
        History = self.env["customer.archive.level.history"]
        uid = self.env.uid
        heads = History._chain_lock_heads([row[1] for row in rows])
        # the values of History._chain_fields, as the integrity check reads them back
        links = History._chain_link(
            heads,
            [
                (row[1], (row[0], row[2], row[3], row[6], float(row[4]), row[5], uid))
                for row in rows
            ],
        )
        cr.execute(
            SQL(
                """
WITH heads AS (%(heads)s), updated AS (
    UPDATE customer_archive a
       SET level_id = v.new_level, write_uid = %(uid)s, write_date = %(now)s
      FROM unnest(%(ids)s::int[], %(new_levels)s::int[]) AS v(id, new_level)
     WHERE a.id = v.id
)
INSERT INTO customer_archive_level_history
       (archive_id, company_id, old_level_id, new_level_id, date, amount, method,
        user_id, chain_seq, chain_prev_hash, chain_hash)
SELECT v.id, v.company_id, v.old_level, v.new_level, %(now)s, v.amount, v.method,
       %(uid)s, v.seq, v.prev, v.hash
  FROM unnest(%(ids)s::int[], %(companies)s::int[], %(old_levels)s::int[],
              %(new_levels)s::int[], %(amounts)s::numeric[], %(methods)s::varchar[],
              %(seqs)s::int[], %(prevs)s::varchar[], %(hashes)s::varchar[])
       WITH ORDINALITY AS v(id, company_id, old_level, new_level, amount, method, seq,
                            prev, hash, n)
 ORDER BY v.n
                """,
                heads=History._chain_heads_sql(heads),
                uid=uid,
                now=rows[0][6],
                ids=[row[0] for row in rows],
                companies=[row[1] for row in rows],
                old_levels=[row[2] for row in rows],
                new_levels=[row[3] for row in rows],
                amounts=[row[4] for row in rows],
                methods=[row[5] for row in rows],
                seqs=[link[0] for link in links],
                prevs=[link[1] for link in links],
                hashes=[link[2] for link in links],
            )
        )
        changed_ids = [row[0] for row in rows]
        History.invalidate_model()
        self.env["customer.archive"].invalidate_model(
            ["level_id", "write_uid", "write_date", "level_history_ids"]
        )
        return changed_ids

    def action_reclassify_levels(self):
        """Button: reclassify the files of the user's current companies now."""
        if not self.env.user.has_group("customer_archive.group_archive_manager"):
            raise AccessError(self.env._("Only a file manager can reclassify levels."))
        changed = self._reclassify_levels(self.env.companies)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "Levels reclassified: %(count)s files changed level.",
                    count=len(changed),
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    @cron_retrying
    def _cron_reclassify_levels(self):
        self._reclassify_levels()
