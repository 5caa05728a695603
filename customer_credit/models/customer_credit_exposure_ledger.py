from odoo import api, models
from odoo.tools import SQL

from odoo.addons.customer_archive.models.customer_archive_chain import cron_retrying

LEDGER = "customer_credit_receivable_ledger"
TRIGGERS = {
    # trigger name: (table, SQL of the rest of the CREATE TRIGGER statement)
    "customer_credit_ledger_aml_ins": (
        "account_move_line",
        """AFTER INSERT ON account_move_line FOR EACH ROW
           WHEN (NEW.parent_state = 'posted' AND NEW.amount_residual != 0)
           EXECUTE FUNCTION customer_credit_ledger_aml()""",
    ),
    "customer_credit_ledger_aml_upd": (
        "account_move_line",
        """AFTER UPDATE OF partner_id, company_id, account_id, date_maturity,
                          amount_residual, parent_state, reconciled
           ON account_move_line FOR EACH ROW
           WHEN (OLD.partner_id IS DISTINCT FROM NEW.partner_id
              OR OLD.company_id IS DISTINCT FROM NEW.company_id
              OR OLD.account_id IS DISTINCT FROM NEW.account_id
              OR OLD.date_maturity IS DISTINCT FROM NEW.date_maturity
              OR OLD.amount_residual IS DISTINCT FROM NEW.amount_residual
              OR OLD.parent_state IS DISTINCT FROM NEW.parent_state
              OR OLD.reconciled IS DISTINCT FROM NEW.reconciled)
           EXECUTE FUNCTION customer_credit_ledger_aml()""",
    ),
    "customer_credit_ledger_aml_del": (
        "account_move_line",
        """AFTER DELETE ON account_move_line FOR EACH ROW
           WHEN (OLD.parent_state = 'posted' AND OLD.amount_residual != 0)
           EXECUTE FUNCTION customer_credit_ledger_aml()""",
    ),
    "customer_credit_ledger_account": (
        "account_account",
        """AFTER UPDATE OF account_type ON account_account FOR EACH ROW
           WHEN (OLD.account_type IS DISTINCT FROM NEW.account_type
             AND 'asset_receivable' IN (OLD.account_type, NEW.account_type))
           EXECUTE FUNCTION customer_credit_ledger_account()""",
    ),
}
# An open receivable item: what the exposure counts (see customer.credit.exposure).
OPEN_ITEM = """
    {r}.partner_id IS NOT NULL
    AND {r}.parent_state = 'posted'
    AND {r}.reconciled IS NOT TRUE
    AND {r}.amount_residual != 0
"""
FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION customer_credit_ledger_aml() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    old_open boolean := FALSE;
    new_open boolean := FALSE;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        old_open := {OPEN_ITEM.format(r="OLD")} AND EXISTS (
            SELECT 1 FROM account_account
             WHERE id = OLD.account_id AND account_type = 'asset_receivable');
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        new_open := {OPEN_ITEM.format(r="NEW")} AND EXISTS (
            SELECT 1 FROM account_account
             WHERE id = NEW.account_id AND account_type = 'asset_receivable');
    END IF;
    IF old_open AND new_open
       AND OLD.partner_id = NEW.partner_id AND OLD.company_id = NEW.company_id
       AND OLD.date_maturity IS NOT DISTINCT FROM NEW.date_maturity THEN
        -- the same item, another residual (a part payment): one row
        INSERT INTO {LEDGER}
               (partner_id, company_id, date_maturity, amount_pos, amount_neg,
                items_pos)
        VALUES (NEW.partner_id, NEW.company_id, NEW.date_maturity,
                GREATEST(NEW.amount_residual, 0) - GREATEST(OLD.amount_residual, 0),
                LEAST(NEW.amount_residual, 0) - LEAST(OLD.amount_residual, 0),
                (NEW.amount_residual > 0)::int - (OLD.amount_residual > 0)::int);
        RETURN NULL;
    END IF;
    IF old_open THEN
        INSERT INTO {LEDGER}
               (partner_id, company_id, date_maturity, amount_pos, amount_neg,
                items_pos)
        VALUES (OLD.partner_id, OLD.company_id, OLD.date_maturity,
                -GREATEST(OLD.amount_residual, 0), -LEAST(OLD.amount_residual, 0),
                -(OLD.amount_residual > 0)::int);
    END IF;
    IF new_open THEN
        INSERT INTO {LEDGER}
               (partner_id, company_id, date_maturity, amount_pos, amount_neg,
                items_pos)
        VALUES (NEW.partner_id, NEW.company_id, NEW.date_maturity,
                GREATEST(NEW.amount_residual, 0), LEAST(NEW.amount_residual, 0),
                (NEW.amount_residual > 0)::int);
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION customer_credit_ledger_account() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    sign int := CASE WHEN NEW.account_type = 'asset_receivable' THEN 1 ELSE -1 END;
BEGIN
    INSERT INTO {LEDGER}
           (partner_id, company_id, date_maturity, amount_pos, amount_neg, items_pos)
    SELECT aml.partner_id, aml.company_id, aml.date_maturity,
           sign * SUM(GREATEST(aml.amount_residual, 0)),
           sign * SUM(LEAST(aml.amount_residual, 0)),
           sign * COUNT(*) FILTER (WHERE aml.amount_residual > 0)
      FROM account_move_line aml
     WHERE aml.account_id = NEW.id AND {OPEN_ITEM.format(r="aml")}
  GROUP BY aml.partner_id, aml.company_id, aml.date_maturity;
    RETURN NULL;
END
$$;
"""


class CustomerCreditExposureLedger(models.AbstractModel):
    """The open receivable items of each customer, summed by due date (应收台账).

    The credit stop needs the customer's open receivables, unapplied payments,
    overdue amount, oldest overdue days and ageing at every decision. Summing
    the open items themselves costs what the customer has open: 50,000 open
    invoices are 50,000 index entries and heap rows read at each order. This
    ledger holds the same sums per customer, company and due date, so the stop
    reads one row per due date whatever the number of items; the ageing on any
    day still follows from the due dates.

    It is kept by PostgreSQL triggers, not by the ORM: every change of a
    receivable line (posting, payment, reconciliation, reset to draft, any write
    by any module or by plain SQL) inserts the change of the sums as a row, in the
    transaction of that change. The table only receives inserts, so concurrent
    postings for one customer never wait on each other nor conflict; the daily
    compaction folds the rows of each customer and due date into one. The table
    is rebuilt from the move lines at each install or update of the module, and
    ``_ledger_mismatches`` compares it with the move lines (tests, support).

    There is no model on top of the table: nobody reads or writes it through the
    ORM or RPC; only the exposure query reads it.
    """

    _name = "customer.credit.exposure.ledger"
    _description = "Customer Credit Receivable Ledger"

    def init(self):
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                CREATE TABLE IF NOT EXISTS %(ledger)s (
                    partner_id integer NOT NULL,
                    company_id integer NOT NULL,
                    date_maturity date,
                    amount_pos numeric NOT NULL,
                    amount_neg numeric NOT NULL,
                    items_pos integer NOT NULL
                );
                CREATE INDEX IF NOT EXISTS %(index)s
                    ON %(ledger)s (partner_id, company_id);
                """,
                ledger=SQL.identifier(LEDGER),
                index=SQL.identifier(f"{LEDGER}_partner_idx"),
            )
        )
        cr.execute(SQL(FUNCTIONS))
        for name, (table, definition) in TRIGGERS.items():
            cr.execute(
                SQL(
                    "DROP TRIGGER IF EXISTS %s ON %s",
                    SQL.identifier(name),
                    SQL.identifier(table),
                )
            )
            cr.execute(SQL(f"CREATE TRIGGER {name} {definition}"))
        # The triggers hold a lock on the move lines until this transaction ends:
        # nothing changes them between the rebuild and the triggers' start.
        self._ledger_rebuild()

    @api.model
    def _ledger_drop(self):
        """Remove the triggers, their functions and the table (uninstall)."""
        cr = self.env.cr
        for name, (table, _definition) in TRIGGERS.items():
            cr.execute(
                SQL(
                    "DROP TRIGGER IF EXISTS %s ON %s",
                    SQL.identifier(name),
                    SQL.identifier(table),
                )
            )
        cr.execute(
            SQL(
                "DROP FUNCTION IF EXISTS customer_credit_ledger_aml();"
                "DROP FUNCTION IF EXISTS customer_credit_ledger_account();"
                "DROP TABLE IF EXISTS %s",
                SQL.identifier(LEDGER),
            )
        )

    @api.model
    def _ledger_source(self):
        """The ledger's sums read from the move lines themselves."""
        return SQL(
            """
            SELECT aml.partner_id, aml.company_id, aml.date_maturity,
                   SUM(GREATEST(aml.amount_residual, 0)) AS amount_pos,
                   SUM(LEAST(aml.amount_residual, 0)) AS amount_neg,
                   COUNT(*) FILTER (WHERE aml.amount_residual > 0) AS items_pos
              FROM account_move_line aml
              JOIN account_account acc ON acc.id = aml.account_id
             WHERE acc.account_type = 'asset_receivable' AND %s
          GROUP BY aml.partner_id, aml.company_id, aml.date_maturity
            """,
            SQL(OPEN_ITEM.format(r="aml")),
        )

    @api.model
    def _ledger_rebuild(self):
        """Refill the ledger from the move lines (one row per due date)."""
        self.env["account.move.line"].flush_model()
        self.env.cr.execute(
            SQL(
                "TRUNCATE %(ledger)s; INSERT INTO %(ledger)s %(source)s",
                ledger=SQL.identifier(LEDGER),
                source=self._ledger_source(),
            )
        )

    @api.model
    @cron_retrying
    def _ledger_compact(self):
        """Fold the rows of each customer, company and due date into one; drop
        the sums that came back to zero (paid in full). Rows inserted meanwhile by
        other transactions are not in this snapshot and stay as they are."""
        self.env.cr.execute(
            SQL(
                """
                WITH folded AS (
                    SELECT partner_id, company_id, date_maturity
                      FROM %(ledger)s
                  GROUP BY partner_id, company_id, date_maturity
                    HAVING COUNT(*) > 1
                        OR (SUM(amount_pos) = 0 AND SUM(amount_neg) = 0
                            AND SUM(items_pos) = 0)
                ),
                gone AS (
                    DELETE FROM %(ledger)s l
                     USING folded f
                     WHERE l.partner_id = f.partner_id
                       AND l.company_id = f.company_id
                       AND l.date_maturity IS NOT DISTINCT FROM f.date_maturity
                 RETURNING l.*
                )
                INSERT INTO %(ledger)s
                SELECT partner_id, company_id, date_maturity, SUM(amount_pos),
                       SUM(amount_neg), SUM(items_pos)
                  FROM gone
              GROUP BY partner_id, company_id, date_maturity
                HAVING SUM(amount_pos) != 0 OR SUM(amount_neg) != 0
                    OR SUM(items_pos) != 0
                """,
                ledger=SQL.identifier(LEDGER),
            )
        )
        return True

    @api.model
    def _ledger_mismatches(self):
        """(partner, company, due date, ledger sums, move-line sums) where the
        ledger and the move lines disagree: none, unless the triggers were off."""
        self.env["account.move.line"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                WITH ledger AS (
                    SELECT partner_id, company_id, date_maturity,
                           SUM(amount_pos) AS amount_pos,
                           SUM(amount_neg) AS amount_neg,
                           SUM(items_pos) AS items_pos
                      FROM %(ledger)s
                  GROUP BY partner_id, company_id, date_maturity
                ), source AS (%(source)s)
                SELECT COALESCE(l.partner_id, s.partner_id),
                       COALESCE(l.company_id, s.company_id),
                       COALESCE(l.date_maturity, s.date_maturity),
                       l.amount_pos, l.amount_neg, l.items_pos,
                       s.amount_pos, s.amount_neg, s.items_pos
                  FROM ledger l
             FULL JOIN source s
                    ON s.partner_id = l.partner_id
                   AND s.company_id = l.company_id
                   AND s.date_maturity IS NOT DISTINCT FROM l.date_maturity
                 WHERE COALESCE(l.amount_pos, 0) != COALESCE(s.amount_pos, 0)
                    OR COALESCE(l.amount_neg, 0) != COALESCE(s.amount_neg, 0)
                    OR COALESCE(l.items_pos, 0) != COALESCE(s.items_pos, 0)
                """,
                ledger=SQL.identifier(LEDGER),
                source=self._ledger_source(),
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _ledger_open_items(self, date, company_ids=None):
        """SQL of the ``open_items`` figures per commercial partner and company,
        from the ledger (same columns as the sums over the move lines in
        ``customer.credit.exposure._exposure_ctes``). Reads a ``members`` CTE."""
        company = (
            SQL("TRUE")
            if company_ids is None
            else SQL(
                "l.company_id = ANY(%s)",
                company_ids if isinstance(company_ids, SQL) else list(company_ids),
            )
        )
        overdue = SQL("b.items_pos > 0 AND b.date_maturity < %s", date)
        age = SQL("(%s - b.date_maturity)", date)
        return SQL(
            """
            SELECT b.cpid,
                   b.company_id,
                   SUM(b.amount_pos) AS receivable,
                   -SUM(b.amount_neg) AS unapplied,
                   SUM(b.amount_pos) FILTER (WHERE %(overdue)s) AS overdue_amount,
                   MAX(%(age)s) FILTER (WHERE %(overdue)s) AS overdue_days,
                   SUM(b.amount_pos) FILTER (
                       WHERE %(overdue)s AND %(age)s <= 30
                   ) AS age_0_30,
                   SUM(b.amount_pos) FILTER (
                       WHERE %(overdue)s AND %(age)s BETWEEN 31 AND 60
                   ) AS age_31_60,
                   SUM(b.amount_pos) FILTER (
                       WHERE %(overdue)s AND %(age)s BETWEEN 61 AND 90
                   ) AS age_61_90,
                   SUM(b.amount_pos) FILTER (
                       WHERE %(overdue)s AND %(age)s > 90
                   ) AS age_90_plus
              FROM (
                    SELECT m.cpid, l.company_id, l.date_maturity,
                           SUM(l.amount_pos) AS amount_pos,
                           SUM(l.amount_neg) AS amount_neg,
                           SUM(l.items_pos) AS items_pos
                      FROM %(ledger)s l
                      JOIN members m ON m.id = l.partner_id
                     WHERE %(company)s
                  GROUP BY m.cpid, l.company_id, l.date_maturity
                   ) b
          GROUP BY b.cpid, b.company_id
            """,
            overdue=overdue,
            age=age,
            company=company,
            ledger=SQL.identifier(LEDGER),
        )
