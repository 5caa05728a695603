# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Customer Credit",
    "summary": "Customer credit (客户信用): profiles, approved applications, "
    "exposure and the credit stop",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/customer-archive/customer-archive",
    "author": "Customer Archive Authors",
    "maintainers": [],
    "license": "LGPL-3",
    "application": False,
    "installable": True,
    "depends": ["customer_archive"],
    "data": [
        "security/customer_credit_security.xml",
        "security/ir.model.access.csv",
        "data/customer_credit_data.xml",
        "data/customer_credit_rating_data.xml",
        "data/customer_credit_scorecard_data.xml",
        "views/customer_credit_profile_views.xml",
        "views/customer_credit_application_views.xml",
        "views/customer_credit_rating_views.xml",
        "views/res_partner_views.xml",
        "views/customer_credit_override_views.xml",
        "views/menus.xml",
        "data/customer_credit_hold_data.xml",
        "views/customer_credit_hold_views.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
        "demo/customer_credit_demo.xml",
    ],
}
