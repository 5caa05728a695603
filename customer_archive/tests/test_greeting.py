from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import ArchiveCommon


@tagged("post_install", "-at_install")
class TestGreeting(ArchiveCommon):
    """Reminders ahead of key people's birthdays and founding anniversaries."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.company"].search([]).archive_greeting_days = 0
        cls.company.archive_greeting_days = 3
        cls.archive = cls._create_file(cls.customer, founding_date=date(2001, 5, 10))
        cls.contact = cls.env["customer.archive.contact"].create(
            {
                "archive_id": cls.archive.id,
                "name": "李总",
                "role": "general_manager",
                "birthday": date(1970, 5, 20),
            }
        )
        cls.activity_type = cls.env.ref("customer_archive.mail_activity_type_greeting")

    def _greetings(self):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "customer.archive"),
                ("res_id", "=", self.archive.id),
                ("activity_type_id", "=", self.activity_type.id),
            ],
            order="date_deadline",
        )

    def _run(self, day):
        with freeze_time(day):
            self.env["customer.archive"]._cron_greetings()

    def test_reminders_on_the_right_days_once(self):
        self._run("2026-05-06")  # 4 days before the anniversary: too early
        self.assertFalse(self._greetings())
        self._run("2026-05-07")  # 3 days before
        self._run("2026-05-07")
        self._run("2026-05-08")
        greetings = self._greetings()
        self.assertEqual(len(greetings), 1)
        self.assertEqual(greetings.date_deadline, date(2026, 5, 10))
        self.assertEqual(greetings.user_id, self.salesperson)
        self.assertIn(self.customer.name, greetings.summary)
        self._run("2026-05-16")  # 4 days before the birthday: nothing new
        self.assertEqual(len(self._greetings()), 1)
        self._run("2026-05-17")
        self._run("2026-05-19")
        greetings = self._greetings()
        self.assertEqual(len(greetings), 2)
        self.assertEqual(greetings[1].date_deadline, date(2026, 5, 20))
        self.assertIn("李总", greetings[1].summary)
        # next year again, once
        self._run("2027-05-07")
        self._run("2027-05-08")
        self.assertEqual(len(self._greetings()), 3)

    def test_leap_day_birthday_and_year_end(self):
        self.contact.birthday = date(1980, 2, 29)
        self._run("2027-02-24")
        self.assertFalse(self._greetings())
        self._run("2027-02-25")  # 2027 has no 29 February: the 28th
        self.assertEqual(self._greetings().date_deadline, date(2027, 2, 28))
        self.contact.birthday = date(1975, 1, 2)
        self._run("2027-12-30")
        self.assertEqual(self._greetings()[-1].date_deadline, date(2028, 1, 2))
