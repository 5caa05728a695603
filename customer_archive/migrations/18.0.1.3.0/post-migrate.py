"""1.3.0: every company is reviewed and numbers its own files.

The file approval levels were created for the main company only (tier definitions
default to the current company), so files of a second company were approved on
submit; they now apply to every company. Each company gets its own file-number
sequence."""

from odoo import SUPERUSER_ID, api

TIER_XMLIDS = (
    "customer_archive.tier_definition_archive_manager",
    "customer_archive.tier_definition_archive_director",
)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid in TIER_XMLIDS:
        definition = env.ref(xmlid, raise_if_not_found=False)
        if definition and definition.company_id:
            definition.company_id = False
    env["res.company"].search([])._customer_archive_ensure_sequences()
