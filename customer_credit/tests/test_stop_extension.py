from unittest.mock import patch

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestStopControlPoints(TransactionCase):
    """The stop's list of control points (``_credit_control_points``) is the one
    place an addon extends to guard another document: the strength lookup and the
    override lookup read it, and every point of it is a value of the selections
    that record it."""

    def setUp(self):
        super().setUp()
        self.Stop = self.env["customer.credit.stop"]
        self.company = self.env.company

    def test_points_match_the_selections_and_fields(self):
        points = self.Stop._credit_control_points()
        self.assertEqual(
            [spec["point"] for spec in points], ["order", "delivery", "invoice"]
        )
        Override = self.env["customer.credit.override"]
        for model in (
            "customer.credit.check.log",
            "customer.credit.override",
            "customer.credit.override.request",
        ):
            field = self.env[model]._fields["control_point"]
            values = [
                value for value, _label in field.get_description(self.env)["selection"]
            ]
            self.assertEqual(values, [spec["point"] for spec in points], model)
        for spec in points:
            self.assertIn(spec["model"], self.env)
            self.assertIn(spec["strength_field"], self.company._fields)
            self.assertIn(spec["override_field"], Override._fields)
            self.assertEqual(
                Override._fields[spec["override_field"]].comodel_name, spec["model"]
            )

    def test_strength_is_read_through_the_list(self):
        self.company.write(
            {"credit_order_strength": "approval", "credit_invoice_strength": "warn"}
        )
        self.assertEqual(self.Stop._credit_strength(self.company, "order"), "approval")
        with self.assertRaises(KeyError):
            self.Stop._credit_strength(self.company, "pos")
        # An addon that extends the list is followed: here the order point reads
        # the invoice's strength field (as an extension would read its own).
        original = type(self.Stop)._credit_control_points

        def extended(stop):
            points = original(stop)
            for spec in points:
                if spec["point"] == "order":
                    spec["strength_field"] = "credit_invoice_strength"
            return points + [
                {
                    "point": "pos",
                    "model": "sale.order",
                    "strength_field": "credit_order_strength",
                    "override_field": "order_id",
                }
            ]

        with patch.object(type(self.Stop), "_credit_control_points", extended):
            self.assertEqual(self.Stop._credit_strength(self.company, "order"), "warn")
            self.assertEqual(
                self.Stop._credit_strength(self.company, "pos"), "approval"
            )
