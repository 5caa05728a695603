"""Screenshots of the running demo (``make demo``) in zh_CN, for the README and Apps.

Logs in as a demo user through Odoo's JSON-RPC, hands the session cookie to headless
Chromium (Debian's ``chromium``, driven by Playwright without downloading a browser) and
saves one PNG per screen.  Usage (through scripts/screenshots.sh):
    python scripts/screenshots.py URL DB OUTDIR SHOT [SHOT ...]
A SHOT is ``name=login:hash`` where hash is the web client's URL part after ``/odoo``,
e.g. ``credit-profile=finance:/action-customer_credit.customer_credit_profile_action``;
``name=login:hash|selector`` clicks ``selector`` once the view is shown and takes the
dialog that opens (a refusal and its next-step button).
"""

import json
import sys
import urllib.request

from playwright.sync_api import sync_playwright


def session_cookie(url, db, login):
    body = json.dumps(
        {
            "jsonrpc": "2.0",
            "params": {"db": db, "login": login, "password": login},
        }
    ).encode()
    request = urllib.request.Request(
        f"{url}/web/session/authenticate",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        payload = json.loads(response.read())
        if payload.get("error"):
            raise SystemExit(f"{login}: {payload['error']['data']['message']}")
        for header in response.headers.get_all("Set-Cookie"):
            if header.startswith("session_id="):
                return header.split(";")[0].split("=", 1)[1]
    raise SystemExit(f"{login}: no session cookie")


def main(url, db, outdir, shots):
    host = url.split("://", 1)[1].split(":")[0]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        for shot in shots:
            name, rest = shot.split("=", 1)
            login, path = rest.split(":", 1)
            context = browser.new_context(
                viewport={"width": 1366, "height": 768}, locale="zh-CN"
            )
            context.add_cookies(
                [
                    {
                        "name": "session_id",
                        "value": session_cookie(url, db, login),
                        "domain": host,
                        "path": "/",
                    }
                ]
            )
            path, _sep, click = path.partition("|")
            page = context.new_page()
            page.goto(f"{url}/odoo{path}", wait_until="load")
            # the web client keeps its bus connection open: wait for the view instead
            page.wait_for_selector(".o_view_controller", timeout=30000)
            page.wait_for_timeout(1000)
            if click:
                page.click(click)
                page.wait_for_selector(".modal-dialog", timeout=30000)
                page.wait_for_timeout(800)
            target = f"{outdir}/{name}.png"
            page.screenshot(path=target)
            print(target)
            context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:])
