"""security/matrix.csv against the installed addons, cell by cell, as real users.

For every row (model × role) a user with exactly that role's groups tries each action
on a record in scope (its own), out of scope (another salesperson's) and, where the
file is opened by an access request, on a granted record. ``read`` is a real search and
read; ``create``/``write``/``unlink`` go through ``check_access``, the access-rights and
record-rule check Odoo runs inside ``create()``, ``write()`` and ``unlink()``.
Cells: ``all`` (any record), ``own`` (in scope only), ``grant`` (own, plus read of
actively granted files), ``none``. A ``read`` cell may add the other doors that open a
record for reading: ``+pool`` (files in the public pool 公海, without a salesperson)
and ``+kept`` (files the user handed over, while the handover keeps their read access);
every row is also probed on such records, so a door the matrix does not name fails."""

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from .security_fixtures import (
    ROLE_GROUPS,
    RecordSet,
    grant,
    hand_over,
    make_user,
    read_matrix,
    shared_record,
    to_pool,
)

ACTIONS = ("read", "create", "write", "unlink")
CELLS = {"all", "own", "grant", "none"}
READ_DOORS = {"pool", "kept"}


def split_cell(cell):
    """('grant', {'pool', 'kept'}) for 'grant+pool+kept'."""
    base, *doors = cell.split("+")
    return base, set(doors)


@tagged("post_install", "-at_install", "customer_product")
class TestSecurityMatrix(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True)
        )
        cls.rows = read_matrix()
        cls.other_owner = make_user(cls.env, "sec_other", "file_user")
        cls.users = {}
        cls.own = {}
        cls.granted = {}
        cls.kept = {}
        for role in ROLE_GROUPS:
            user = make_user(cls.env, f"sec_{role}", role)
            cls.users[role] = user
            cls.own[role] = RecordSet(cls.env, user, f"own-{role}")
            cls.granted[role] = RecordSet(cls.env, cls.other_owner, f"granted-{role}")
            grant(cls.env, cls.granted[role].archive, user)
            # a file the user handed over to other_owner, read access kept 3 days
            cls.kept[role] = RecordSet(cls.env, cls.other_owner, f"kept-{role}")
            hand_over(cls.env, cls.kept[role].archive, user)
        cls.other = RecordSet(cls.env, cls.other_owner, "other")
        # a file returned to the public pool: no salesperson any more
        cls.pool = RecordSet(cls.env, cls.other_owner, "pool")
        to_pool(cls.env, cls.pool.archive)

    def _allowed(self, record, user, action):
        record = record.with_user(user)
        try:
            if action == "read":
                found = record.search([("id", "=", record.id)])
                record.read(["display_name"])
                self.assertEqual(found, record, "read allowed but search hides it")
            else:
                record.check_access(action)
        except AccessError:
            return False
        return True

    def test_matrix_is_well_formed(self):
        models = {row["model"] for row in self.rows}
        for row in self.rows:
            self.assertIn(row["role"], ROLE_GROUPS)
            self.assertIn(row["model"], self.env)
            for action in ACTIONS:
                base, doors = split_cell(row[action])
                self.assertIn(base, CELLS, row)
                self.assertLessEqual(doors, READ_DOORS if action == "read" else set())
        for model in models:
            roles = sorted(r["role"] for r in self.rows if r["model"] == model)
            self.assertEqual(roles, sorted(ROLE_GROUPS), model)
        # every persistent model of both addons is in the matrix
        ours = self.env["ir.model"].search(
            [
                ("transient", "=", False),
                "|",
                ("model", "=like", "customer.archive%"),
                ("model", "=like", "customer.credit%"),
            ]
        )
        persistent = {m for m in ours.mapped("model") if not self.env[m]._abstract}
        missing = persistent - models
        self.assertFalse(missing, f"models missing from security/matrix.csv: {missing}")

    def test_matrix_cells(self):
        for row in self.rows:
            model, role = row["model"], row["role"]
            user = self.users[role]
            scoped = bool(row["scope"])
            for action in ACTIONS:
                cell, doors = split_cell(row[action])
                with self.subTest(model=model, role=role, action=action, cell=cell):
                    if not scoped:
                        record = shared_record(self.env, model)
                        self.assertEqual(
                            self._allowed(record, user, action), cell == "all"
                        )
                        continue
                    for door, records in (
                        ("pool", self.pool),
                        ("kept", self.kept[role]),
                    ):
                        record = records.record(model)
                        if not record:  # e.g. no compliance row without salesperson
                            continue
                        self.assertEqual(
                            self._allowed(record, user, action),
                            cell == "all" or door in doors,
                            f"record of a file opened by the door {door!r}",
                        )
                    own = self.own[role].record(model)
                    other = self.other.record(model)
                    granted = self.granted[role].record(model)
                    self.assertTrue(own and other and granted, "no record to probe")
                    self.assertEqual(
                        self._allowed(own, user, action),
                        cell != "none",
                        "own record",
                    )
                    self.assertEqual(
                        self._allowed(other, user, action),
                        cell == "all",
                        "another salesperson's record",
                    )
                    self.assertEqual(
                        self._allowed(granted, user, action),
                        cell in ("all", "grant"),
                        "record of a file granted by an access request",
                    )

    def test_every_model_with_a_company_has_a_multi_company_rule(self):
        models = {row["model"] for row in self.rows}
        missing = []
        for model in sorted(models):
            field = self.env[model]._fields.get("company_id")
            if not field or not field.store:
                continue
            rules = self.env["ir.rule"].search(
                [("model_id.model", "=", model), ("global", "=", True)]
            )
            if not any("company_ids" in rule.domain_force for rule in rules):
                missing.append(model)
        self.assertFalse(missing, f"models without a multi-company rule: {missing}")
