import os

from odoo.tools import SQL


def post_init_hook(env):
    """Give existing customers a file when the addon is installed.

    ``customer_archive.legacy_mode`` (system parameter, or the environment variable
    CUSTOMER_ARCHIVE_LEGACY_MODE): 'approve' (default) gives every existing customer an
    approved legacy file, 'require' a draft one, 'none' nothing.
    """
    mode = (
        env["ir.config_parameter"].sudo().get_param("customer_archive.legacy_mode")
        or os.environ.get("CUSTOMER_ARCHIVE_LEGACY_MODE")
        or "approve"
    )
    env["res.company"].search([])._customer_archive_ensure_sequences()
    create_legacy_archives(env, mode)


def create_legacy_archives(env, mode="approve", partner_ids=None):
    """One INSERT ... SELECT: a file per (commercial customer, company) lacking one."""
    if mode not in ("approve", "require"):
        return 0
    env["res.partner"].flush_model()
    env["sale.order"].flush_model()
    env["customer.archive"].flush_model()
    state = "approved" if mode == "approve" else "draft"
    partner_filter = (
        SQL("AND p.id = ANY(%s)", list(partner_ids)) if partner_ids else SQL("")
    )
    env.cr.execute(
        SQL(
            """
            INSERT INTO customer_archive (
                name, partner_id, company_id, user_id, state, active, nature,
                lifecycle, normalized_name, completeness, validation_status,
                approved_date, create_uid, create_date, write_uid, write_date
            )
            SELECT 'LEGACY-' || p.id || '-' || c.id, p.id, c.id, p.user_id, %(state)s,
                   TRUE, 'company', 'active',
                   regexp_replace(lower(p.name), '[[:space:][:punct:]]+', '', 'g'),
                   0, 'no',
                   CASE WHEN %(state)s = 'approved' THEN now() at time zone 'UTC' END,
                   %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
              FROM res_partner p
              JOIN res_company c ON (p.company_id IS NULL OR p.company_id = c.id)
             WHERE p.parent_id IS NULL
               AND p.active
               AND p.id NOT IN (SELECT partner_id FROM res_company)
               AND (p.customer_rank > 0 OR EXISTS (
                        SELECT 1 FROM sale_order so
                         WHERE so.partner_id IN (
                                SELECT id FROM res_partner
                                 WHERE commercial_partner_id = p.id)
                           AND so.company_id = c.id))
               AND NOT EXISTS (
                        SELECT 1 FROM customer_archive a
                         WHERE a.partner_id = p.id AND a.company_id = c.id)
               %(partner_filter)s
            """,
            state=state,
            uid=env.uid,
            partner_filter=partner_filter,
        )
    )
    count = env.cr.rowcount
    env["customer.archive"].invalidate_model()
    return count
