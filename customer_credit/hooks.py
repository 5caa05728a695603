def post_init_hook(env):
    """Every existing company gets its own credit application sequence."""
    env["res.company"].search([])._credit_ensure_application_sequence()


def uninstall_hook(env):
    """The receivable ledger lives outside the ORM (a table and triggers on the
    move lines): remove it with the module, or the triggers would outlive it; and
    the credit lock's table of passed decisions."""
    env["customer.credit.exposure.ledger"]._ledger_drop()
    env["customer.credit.stop"]._credit_drop_passes()
