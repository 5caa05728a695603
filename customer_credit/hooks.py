def post_init_hook(env):
    """Every existing company gets its own credit application sequence."""
    env["res.company"].search([])._credit_ensure_application_sequence()
