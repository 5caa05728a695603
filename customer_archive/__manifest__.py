# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Customer Files",
    "summary": "Customer files (客户档案): one approved file per customer, "
    "or no order, delivery or payment",
    "version": "18.0.1.1.0",
    "category": "Sales/Sales",
    "website": "https://github.com/customer-archive/customer-archive",
    "author": "Customer Archive Authors",
    "maintainers": [],
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "depends": ["sale_stock", "contacts", "base_tier_validation", "base_import"],
    "data": [
        "security/customer_archive_security.xml",
        "security/ir.model.access.csv",
        "data/customer_archive_data.xml",
        "views/customer_archive_views.xml",
        "views/customer_archive_document_views.xml",
        "views/customer_archive_config_views.xml",
        "views/customer_archive_wizard_views.xml",
        "views/res_partner_views.xml",
        "views/sale_order_views.xml",
        "views/menus.xml",
        "views/customer_archive_export_views.xml",
        "report/archive_card_report.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
        "demo/customer_archive_demo.xml",
    ],
    "post_init_hook": "post_init_hook",
}
