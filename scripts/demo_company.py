# `make demo`, between installing `base` and the rest: the main company becomes the demo's
# Chinese trading company, in CNY, in China, before `account` is installed. Odoo refuses
# to change a company's currency once journal entries exist (account's own demo makes
# some), and picks the chart of accounts from the company's country when `account` is
# installed: so it is done here, first, and the Chinese chart (l10n_cn, 增值税 13 % taxes)
# is loaded for it. The addons do not depend on l10n_cn; their demo data works with any
# chart (the test database keeps Odoo's generic chart in USD).
# Run with: odoo-bin shell -c <conf> -d <db> --no-http < scripts/demo_company.py
company = env.ref("base.main_company")  # noqa: F821 (odoo shell)
cny = env.ref("base.CNY")  # noqa: F821
cny.active = True
company.write(
    {
        "name": "东莞市粤华贸易有限公司",
        "currency_id": cny.id,
        "country_id": env.ref("base.cn").id,  # noqa: F821
        "state_id": env.ref("base.state_cn_GD").id,  # noqa: F821
        "city": "东莞",
        "street": "南城街道宏图路 168 号",
        "street2": "粤华大厦 8 楼",
        "zip": "523071",
        "phone": "0769-22881234",
        "email": "info@yuehua-trade.example.cn",
        "website": "https://yuehua-trade.example.cn",
        "vat": "91441900MA4W8K2L3C",
    }
)
# The administrator of a Chinese company reads Chinese too (the demo people are set so by
# the addons' demo generator).
env.ref("base.user_admin").write({"lang": "zh_CN", "tz": "Asia/Shanghai"})  # noqa: F821
env.cr.commit()  # noqa: F821
print(f"main company: {company.name} ({company.currency_id.name}, {company.country_id.code})")
