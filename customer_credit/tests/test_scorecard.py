from odoo.tests import tagged

from .common import CreditCommon


@tagged("post_install", "-at_install")
class TestScorecard(CreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Indicator = cls.env["customer.credit.score.indicator"]
        # Only this test's indicators count.
        Indicator.search([]).active = False
        Indicator.create(
            [
                {
                    "name": "Manual",
                    "code": "M",
                    "computation": "manual",
                    "weight": 1,
                    "manual_points": 80,
                },
                {
                    "name": "Overdue",
                    "code": "O",
                    "computation": "overdue",
                    "weight": 1,
                    "band_ids": [
                        (0, 0, {"min_value": 0, "points": 100}),
                        (0, 0, {"min_value": 30, "points": 20}),
                    ],
                },
                {
                    "name": "Years",
                    "code": "Y",
                    "computation": "years",
                    "weight": 2,
                    "band_ids": [
                        (0, 0, {"min_value": 0, "points": 40}),
                        (0, 0, {"min_value": 3, "points": 100}),
                    ],
                },
            ]
        )

    def test_suggestion(self):
        # New customer: manual 80, no overdue 100, under a year 40 (weight 2).
        # (80 + 100 + 2 * 40) / 4 = 65 -> grade A.
        app = self._application(0, requested_rating_id=False)
        app.action_suggest_from_scorecard()
        self.assertEqual(app.score, 65)
        self.assertEqual(app.requested_rating_id, self.rating_a)
        self.assertEqual(app.requested_limit, self.rating_a.suggested_limit)
        self.assertEqual(app.requested_credit_days, self.rating_a.suggested_credit_days)
        # The suggestion never touches the profile.
        self.assertEqual(app.profile_id.sudo().credit_limit, 0)
        self.assertFalse(app.profile_id.sudo().rating_id)
