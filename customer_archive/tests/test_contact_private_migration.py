import importlib.util
import pathlib

from odoo.tools import SQL

from .common import ArchiveCommon

MIGRATION = (
    pathlib.Path(__file__).parent.parent / "migrations/18.0.1.4.0/post-migrate.py"
)


def _migration():
    spec = importlib.util.spec_from_file_location("post_migrate_1_4_0", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestContactPrivateMigration(ArchiveCommon):
    """Databases installed before personal data was kept apart: on update, the old
    columns of customer_archive_contact move to customer.archive.contact.private."""

    def test_old_columns_move_to_the_personal_record(self):
        archive = self._create_file(self.customer)
        cr = self.env.cr
        cr.execute(
            "ALTER TABLE customer_archive_contact ADD COLUMN birthday date, "
            "ADD COLUMN native_place varchar, ADD COLUMN hobbies varchar"
        )
        self.env["customer.archive.contact"].flush_model()
        cr.execute(
            SQL(
                "INSERT INTO customer_archive_contact "
                "(archive_id, company_id, sequence, role, name, birthday, "
                "native_place, hobbies) VALUES "
                "(%(a)s, %(c)s, 10, 'other', 'Legacy Person', '1960-01-02', "
                "'Ningbo', 'tea'), (%(a)s, %(c)s, 11, 'other', 'Legacy Empty', "
                "NULL, NULL, NULL) RETURNING id",
                a=archive.id,
                c=archive.company_id.id,
            )
        )
        full, empty = (row[0] for row in cr.fetchall())
        _migration().migrate(cr, "18.0.1.3.0")
        self.env.invalidate_all()
        Contact = self.env["customer.archive.contact"]
        self.assertEqual(str(Contact.browse(full).birthday), "1960-01-02")
        self.assertEqual(Contact.browse(full).native_place, "Ningbo")
        self.assertEqual(Contact.browse(full).hobbies, "tea")
        self.assertFalse(Contact.browse(empty).private_ids)
        cr.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_name = "
            "'customer_archive_contact' AND column_name = 'birthday'"
        )
        self.assertFalse(cr.fetchall())
        # a second run has nothing left to move
        _migration().migrate(cr, "18.0.1.3.0")
        self.assertEqual(len(Contact.browse(full).private_ids), 1)
