"""Shared set-up of the security suites: users of each role (exactly that role's
groups) and, per owner, a customer with a file and a record of every model.

Not a test module (no ``test_`` prefix)."""

import csv
import pathlib
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user

ROOT = pathlib.Path(__file__).resolve().parent.parent
MATRIX = ROOT / "security" / "matrix.csv"
# models whose rows are computed from other models' data (SQL view, _table_query)
VIEW_MODELS = (
    "customer.visit.compliance.report",
    "customer.credit.overview",
    "customer.credit.exposure.line",
)

ROLE_GROUPS = {
    "file_user": "customer_archive.group_archive_user",
    "file_manager": "customer_archive.group_archive_manager",
    "general_manager": "customer_archive.group_archive_director",
    "archivist": "customer_archive.group_archive_archivist",
    "credit_finance": "customer_credit.group_credit_finance",
    "credit_approver": "customer_credit.group_credit_approver",
}


def read_matrix():
    with MATRIX.open(newline="") as handle:
        return list(csv.DictReader(handle))


def make_user(env, login, role=None, groups=None, export=False):
    groups = groups or ROLE_GROUPS[role]
    if export:
        groups += ",base.group_allow_export"
    return new_test_user(
        env,
        login=login,
        groups="base.group_user," + groups,
        tz="UTC",
    )


class RecordSet:
    """One owner's records of every model (created as superuser: set-up data)."""

    def __init__(self, env, owner, tag):
        Env = env(su=True)
        self.env = env
        company = env.company
        self.partner = Env["res.partner"].create(
            {
                "name": f"Security Probe Customer {tag}",
                "is_company": True,
                "user_id": owner.id,
            }
        )
        self.archive = Env["customer.archive"].create(
            {
                "partner_id": self.partner.id,
                "company_id": company.id,
                "user_id": owner.id,
                "nature": "individual",
                "short_name": f"probe-{tag}",
            }
        )
        category = Env["customer.archive.category"].search([], limit=1) or Env[
            "customer.archive.category"
        ].create({"code": "PRB", "name": "Probe"})
        self.document = Env["customer.archive.document"].create(
            {
                "archive_id": self.archive.id,
                "category_id": category.id,
                "title": f"Contract {tag}",
            }
        )
        self.contact = Env["customer.archive.contact"].create(
            {
                "archive_id": self.archive.id,
                "name": f"Key Person {tag}",
                "birthday": "1970-05-04",
                "religion": f"religion-{tag}",
                "id_number": f"ID-{tag}",
            }
        )
        self.private = self.contact.private_ids
        self.change = Env["customer.archive.change"].create(
            {
                "archive_id": self.archive.id,
                "field_name": "bank_account",
                "old_value": "1",
                "new_value": "2",
                "reason": "probe",
            }
        )
        self.request = Env["customer.archive.access.request"].create(
            {
                "partner_id": self.partner.id,
                "company_id": company.id,
                "purpose": f"audit {tag}",
                "requester_id": owner.id,
            }
        )
        self.log = Env["customer.archive.access.log"].create(
            {
                "archive_id": self.archive.id,
                "company_id": company.id,
                "user_id": owner.id,
                "date": fields.Datetime.now(),
                "action": "open",
            }
        )
        self.profile = Env["customer.credit.profile"].create(
            {"partner_id": self.partner.id, "company_id": company.id}
        )
        self.credit_change = Env["customer.credit.change"].create(
            {"profile_id": self.profile.id, "field_name": "credit_limit"}
        )
        today = fields.Date.today()
        self.temp_limit = Env["customer.credit.temp.limit"].create(
            {
                "profile_id": self.profile.id,
                "amount": 10.0,
                "date_start": today,
                "date_end": today + timedelta(days=3),
            }
        )
        self.application = Env["customer.credit.application"].create(
            {
                "partner_id": self.partner.id,
                "company_id": company.id,
                "user_id": owner.id,
            }
        )
        CheckLog = Env["customer.credit.check.log"]
        control_point = CheckLog._fields["control_point"].get_values(env)[0]
        decision = CheckLog._fields["decision"].get_values(env)[0]
        self.check_log = Env["customer.credit.check.log"].create(
            {
                "partner_id": self.partner.id,
                "company_id": company.id,
                "control_point": control_point,
                "decision": decision,
                "user_id": owner.id,
            }
        )
        product = Env["product.product"].create(
            {"name": f"Probe product {tag}", "type": "consu", "list_price": 1.0}
        )
        self.order = Env["sale.order"].create(
            {
                "partner_id": self.partner.id,
                "user_id": owner.id,
                "order_line": [Command.create({"product_id": product.id})],
            }
        )
        # a draft invoice: a document of the customer's credit exposure
        self.draft_invoice = Env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.partner.id,
                "invoice_line_ids": [
                    Command.create({"name": f"Probe {tag}", "price_unit": 1.0})
                ],
            }
        )
        self.override = Env["customer.credit.override"].create(
            {
                "order_id": self.order.id,
                "partner_id": self.partner.id,
                "company_id": company.id,
                "reason": "probe",
                "requested_by_id": owner.id,
            }
        )
        self.hold = Env["customer.credit.hold"].create(
            {"profile_id": self.profile.id, "reason": "probe"}
        )
        # visits, levels, pool, greetings (回访, 客户分级, 公海, 生日/店庆)
        self.visit = Env["customer.visit"].create(
            {
                "archive_id": self.archive.id,
                "user_id": owner.id,
                "record": f"visit record {tag}",
            }
        )
        self.level_history = Env["customer.archive.level.history"].create(
            {
                "archive_id": self.archive.id,
                "company_id": company.id,
                "method": "manual",
                "user_id": owner.id,
            }
        )
        self.pool_history = Env["customer.archive.pool.history"].create(
            {
                "archive_id": self.archive.id,
                "company_id": company.id,
                "action": "claim",
                "user_id": owner.id,
            }
        )
        self.greeting = Env["customer.archive.greeting"].create(
            {
                "archive_id": self.archive.id,
                "kind": "anniversary",
                "occasion_date": "2026-09-01",
            }
        )
        # handover (离职移交) of this owner's file, without kept read access
        self.handover = Env["customer.archive.handover"].create(
            {
                "company_id": company.id,
                "from_user_id": owner.id,
                "to_user_id": env.uid,
                "done_by_id": env.uid,
                "line_ids": [Command.create({"archive_id": self.archive.id})],
            }
        )
        self.handover_line = self.handover.line_ids
        # destruction (销毁) of a former customer's file of this owner
        former_partner = Env["res.partner"].create(
            {
                "name": f"Security Probe Former Customer {tag}",
                "is_company": True,
                "user_id": owner.id,
            }
        )
        self.former_archive = Env["customer.archive"].create(
            {
                "partner_id": former_partner.id,
                "company_id": company.id,
                "user_id": owner.id,
                "nature": "individual",
                "short_name": f"former-{tag}",
                "lifecycle": "former",
                "relationship_end_date": fields.Date.today() - timedelta(days=3700),
            }
        )
        self.destruction = Env["customer.archive.destruction"].create(
            {"archive_id": self.former_archive.id, "reason": f"probe {tag}"}
        )
        # batch credit application (批量信用申请) with a line of this owner's customer
        self.credit_batch = Env["customer.credit.application.batch"].create(
            {
                "company_id": company.id,
                "note": f"probe {tag}",
                "line_ids": [
                    Command.create({"partner_id": self.partner.id, "credit_limit": 1})
                ],
            }
        )
        self.credit_batch_line = self.credit_batch.line_ids

    def view_row(self, model):
        """The row of a query-time model (SQL view, ``_table_query``) made of this
        owner's data, found as superuser; empty if the data yields none (e.g. a file
        in the public pool has no compliance row)."""
        self.env.flush_all()
        Model = self.env(su=True)[model]
        if model == "customer.visit.compliance.report":
            return Model.search([("archive_id", "=", self.archive.id)])
        if model == "customer.credit.exposure.line":
            return Model.search([("move_id", "=", self.draft_invoice.id)])
        return Model.search([("profile_id", "=", self.profile.id)])

    def record(self, model):
        if model in VIEW_MODELS:
            return self.view_row(model)
        return {
            "customer.archive": self.archive,
            "customer.archive.contact": self.contact,
            "customer.archive.contact.private": self.private,
            "customer.archive.document": self.document,
            "customer.archive.change": self.change,
            "customer.archive.access.request": self.request,
            "customer.archive.access.log": self.log,
            "customer.credit.profile": self.profile,
            "customer.credit.change": self.credit_change,
            "customer.credit.temp.limit": self.temp_limit,
            "customer.credit.application": self.application,
            "customer.credit.check.log": self.check_log,
            "customer.credit.override": self.override,
            "customer.credit.hold": self.hold,
            "customer.visit": self.visit,
            "customer.archive.level.history": self.level_history,
            "customer.archive.pool.history": self.pool_history,
            "customer.archive.greeting": self.greeting,
            "customer.archive.handover": self.handover,
            "customer.archive.handover.line": self.handover_line,
            "customer.archive.destruction": self.destruction,
        }[model]


def grant(env, archive, user, days=7, start=None):
    """An approved access request of ``user`` for ``archive`` (set-up data)."""
    start = start or fields.Datetime.now() - timedelta(hours=1)
    return env(su=True)["customer.archive.access.request"].create(
        {
            "partner_id": archive.partner_id.id,
            "company_id": archive.company_id.id,
            "purpose": "probe grant",
            "days": days,
            "requester_id": user.id,
            "state": "approved",
            "date_start": start,
            "date_end": start + timedelta(days=days),
        }
    )


def hand_over(env, archive, from_user, days=3):
    """A handover of ``archive`` by ``from_user`` to its current salesperson that keeps
    ``from_user``'s read access for ``days`` from now (set-up data)."""
    return env(su=True)["customer.archive.handover"].create(
        {
            "company_id": archive.company_id.id,
            "from_user_id": from_user.id,
            "to_user_id": archive.user_id.id,
            "done_by_id": env.uid,
            "keep_access_days": days,
            "keep_access_until": fields.Datetime.now() + timedelta(days=days),
            "line_ids": [Command.create({"archive_id": archive.id})],
        }
    )


def to_pool(env, archive):
    """Return ``archive`` to the public pool (公海) the way the scheduled job does."""
    archive.sudo()._return_to_pool("probe")


def shared_record(env, model):
    """The one record of a model without ownership (configuration)."""
    Model = env(su=True)[model]
    record = Model.search([], limit=1)
    if record:
        return record
    vals = {
        "customer.archive.level": {"code": "PRB", "name": "Probe"},
        "customer.archive.category": {"code": "PRB", "name": "Probe"},
        "customer.credit.rating": {"code": "PRB", "name": "Probe"},
        "customer.credit.score.indicator": {"code": "PRB", "name": "Probe"},
    }.get(model)
    if model == "customer.archive.level.threshold":
        vals = {
            "company_id": env.company.id,
            "level_id": shared_record(env, "customer.archive.level").id,
            "min_amount": 1000.0,
        }
    if model == "customer.archive.requirement":
        vals = {
            "category_id": shared_record(env, "customer.archive.category").id,
            "nature": "individual",
        }
    if model == "customer.archive.approval.log":
        vals = {
            "res_model": "customer.archive",
            "res_id": 0,
            "company_id": env.company.id,
            "decision": "approved",
            "level": "Probe",
        }
    if vals is None:
        raise AssertionError(f"no record of {model} to probe")
    return Model.create(vals)
