"""Screenshots of a running Peyvand for the README and for looking at the UI.

    .venv/bin/python scripts/screenshots.py http://127.0.0.1:8000 docs/screenshots admin peyvand-demo / /accounts/users/

Logs in, then shows each path in Persian and in English, desktop and phone width.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
        "--disable-background-networking", "--disable-component-update"]  # fmt: skip


def main(base: str, out: str, username: str, password: str, *paths: str) -> None:
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for language in ("fa", "en"):
            for width, height, device in ((1280, 800, "desktop"), (390, 844, "phone")):
                context = browser.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                page.goto(f"{base}/accounts/login/")
                page.fill("input[name=username]", username)
                page.fill("input[name=password]", password)
                page.click("form button[type=submit]")
                page.wait_for_load_state("networkidle")
                page.request.post(f"{base}/accounts/language/", form={"language": language, "next": "/"},
                                  headers={"X-CSRFToken": next(c["value"] for c in context.cookies() if c["name"] == "csrftoken"),
                                           "Referer": base + "/"})  # fmt: skip
                for path in paths or ("/",):
                    page.goto(f"{base}{path}")
                    page.wait_for_load_state("networkidle")
                    name = path.strip("/").replace("/", "-") or "home"
                    page.screenshot(path=str(folder / f"{name}-{language}-{device}.png"), full_page=False)
                context.close()
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
