# `make demo`: the main company is the demo's Chinese trading company, in CNY, in China.
# Run twice by scripts/demo.sh through `odoo-bin shell` (stdin); DEMO_STEP says when:
#   before  after `base`, before `account`: Odoo refuses to change a company's
#           currency once journal entries exist (account's own demo makes some) and
#           picks the chart of accounts from the company's country when a chart module
#           is installed; so the company becomes Chinese first, and China's chart
#           (l10n_cn, 增值税 13 %) is installed for it next.
#   after   after the addons: `stock`'s demo renames the main company "My Company (San
#           Francisco)" and adds "My Company (Chicago)" in USD, l10n_cn's demo two
#           more companies; the name is set again and the other companies are
#           archived, so everybody works in the one Chinese company.
# The addons do not depend on l10n_cn: their demo works with any chart (the test
# database keeps Odoo's generic chart in USD).
import os

env = env  # noqa: F821 (odoo shell)
company = env.ref("base.main_company")
values = {
    "name": "东莞市粤华贸易有限公司",
    "country_id": env.ref("base.cn").id,
    "state_id": env.ref("base.state_cn_GD").id,
    "city": "东莞",
    "street": "南城街道宏图路 168 号",
    "street2": "粤华大厦 8 楼",
    "zip": "523071",
    "phone": "0769-22881234",
    "email": "info@yuehua-trade.example.cn",
    "website": "https://yuehua-trade.example.cn",
    "vat": "91441900MA4W8K2L3C",
}
if os.environ.get("DEMO_STEP") == "before":
    cny = env.ref("base.CNY")
    cny.active = True
    values["currency_id"] = cny.id
    # The administrator of a Chinese company reads Chinese too (the demo people are set
    # so by the addons' demo generator).
    env.ref("base.user_admin").write({"lang": "zh_CN", "tz": "Asia/Shanghai"})
company.write(values)
if os.environ.get("DEMO_STEP") == "after":
    others = env["res.company"].search([("id", "!=", company.id)])
    users = env["res.users"].with_context(active_test=False).search([])
    for user in users.filtered(lambda u: u.company_ids & others):
        if user.company_id in others:
            user.company_id = company
        user.company_ids = [(3, other.id) for other in user.company_ids & others]
    others.write({"active": False})
    # Odoo's own demo customers (Azure Interior, Deco Addict …) got legacy files when
    # the addons were installed (customer_archive's post-init hook): archived with
    # their files, so the customer lists hold the demo's Chinese customers only.
    ours = (
        env["ir.model.data"]
        .search(
            [
                ("module", "in", ("customer_archive", "customer_credit")),
                ("model", "=", "res.partner"),
            ]
        )
        .mapped("res_id")
    )
    legacy = env["customer.archive"].search([("partner_id", "not in", ours)])
    keep = env["res.users"].with_context(active_test=False).search([]).partner_id
    keep |= env["res.company"].with_context(active_test=False).search([]).partner_id
    legacy.write({"active": False})
    (legacy.partner_id - keep).write({"active": False})
env.cr.commit()
print(f"main company: {company.name} ({company.currency_id.name})")
