from odoo import SUPERUSER_ID, api

TIER_DEFINITIONS = (
    "customer_credit.tier_definition_application_manager",
    "customer_credit.tier_definition_application_finance",
    "customer_credit.tier_definition_application_director",
)


def migrate(cr, version):
    """A credit application sequence per company; the shipped tiers for every one.

    The tier definitions are noupdate data: a database where they were created with
    a company applies them to that company only.
    """
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["res.company"].search([])._credit_ensure_application_sequence()
    for xmlid in TIER_DEFINITIONS:
        definition = env.ref(xmlid, raise_if_not_found=False)
        if definition and definition.company_id:
            definition.company_id = False
