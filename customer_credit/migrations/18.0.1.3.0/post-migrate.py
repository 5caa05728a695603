from odoo.tools import SQL


def migrate(cr, version):
    """Order confirmation becomes "block with approval" where it was a plain block.

    The shipped default was "block", which refuses an over-limit order without a
    way to the override queue; companies that chose "warn" keep it.
    """
    cr.execute(
        SQL(
            "UPDATE res_company SET credit_order_strength = 'approval' "
            "WHERE credit_order_strength = 'block' OR credit_order_strength IS NULL"
        )
    )
