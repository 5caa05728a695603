from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..models.customer_archive_chain import MIXIN
from ..models.customer_archive_guard import grant_env, has_grant

CHECK = "customer.archive.integrity.check"
# written by the check itself only: a client cannot make up an "intact" report
RESULT_FIELDS = ("date", "user_id", "line_ids", "intact")


class CustomerArchiveIntegrityCheck(models.TransientModel):
    """Integrity check (完整性校验) of the audit trails: recompute every hash chain of
    the user's current companies and name, per trail and company, the first broken
    row, or report the chain intact with its row count (file managers, archivists)."""

    _name = "customer.archive.integrity.check"
    _rec_name = "date"
    _description = "Audit Trail Integrity Check"

    date = fields.Datetime(string="Checked On", readonly=True)
    user_id = fields.Many2one("res.users", string="Checked By", readonly=True)
    line_ids = fields.One2many(
        "customer.archive.integrity.check.line", "check_id", readonly=True
    )
    intact = fields.Boolean(readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            for fname in RESULT_FIELDS:
                vals.pop(fname, None)
        return super().create(vals_list)

    def write(self, vals):
        if not has_grant(self.env, CHECK) and set(vals) & set(RESULT_FIELDS):
            raise AccessError(
                self.env._("The result of an integrity check is written by the check.")
            )
        return super().write(vals)

    def _check_rights(self):
        if not self.env.su and not self.env.user.has_group(
            "customer_archive.group_archive_manager"
        ):
            raise AccessError(
                self.env._(
                    "Only file managers and archivists can check the integrity of "
                    "the audit trails."
                )
            )

    def _run(self):
        self.ensure_one()
        self._check_rights()
        companies = self.env.companies
        lines = [fields.Command.clear()]
        # sudo: the check recomputes every row of the trails, whoever may read them;
        # it shows counts and the id and date of a broken row only.
        for trail in self.env[MIXIN]._chain_trails():
            Trail = self.env[trail].sudo()
            results = Trail._chain_verify(companies.ids)
            for company in companies:
                res = results[company.id]
                broken = res["broken"] or {}
                lines.append(
                    fields.Command.create(
                        {
                            "trail": trail,
                            "trail_name": Trail._description,
                            "company_id": company.id,
                            "row_count": res["count"],
                            "state": "broken" if broken else "intact",
                            "broken_res_id": broken.get("id") or False,
                            "broken_date": broken.get("date") or False,
                            "reason": broken.get("reason") or False,
                            "head_hash": res["head_hash"] or False,
                        }
                    )
                )
        granted = grant_env(self, CHECK)
        granted.write(
            {
                "line_ids": lines,
                "date": fields.Datetime.now(),
                "user_id": self.env.uid,
            }
        )
        granted.intact = all(line.state == "intact" for line in self.line_ids)
        return self

    def action_check(self):
        self._run()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_print(self):
        # the report shows a check run now, never stale or client-made lines
        self._run()
        return self.env.ref(
            "customer_archive.customer_archive_integrity_report"
        ).report_action(self)


class CustomerArchiveIntegrityCheckLine(models.TransientModel):
    _name = "customer.archive.integrity.check.line"
    _rec_name = "trail_name"
    _description = "Audit Trail Integrity Check Line"
    _order = "trail_name, company_id"

    check_id = fields.Many2one(
        "customer.archive.integrity.check", required=True, ondelete="cascade"
    )
    trail = fields.Char(string="Trail Model", readonly=True)
    trail_name = fields.Char(string="Trail", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    row_count = fields.Integer(string="Rows", readonly=True)
    state = fields.Selection(
        [("intact", "Intact"), ("broken", "Broken")], string="Result", readonly=True
    )
    broken_res_id = fields.Integer(string="First Broken Row", readonly=True)
    broken_date = fields.Datetime(string="Date of Broken Row", readonly=True)
    reason = fields.Char(readonly=True)
    head_hash = fields.Char(
        string="Last Hash",
        readonly=True,
        help="Hash of the chain's last row: kept outside the database (the printed "
        "report), it shows later whether the whole chain was recomputed.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not has_grant(self.env, CHECK):
            raise AccessError(
                self.env._("The result of an integrity check is written by the check.")
            )
        return super().create(vals_list)

    def write(self, vals):
        if not has_grant(self.env, CHECK):
            raise AccessError(
                self.env._("The result of an integrity check is written by the check.")
            )
        return super().write(vals)
