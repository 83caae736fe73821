"""Take the README's screenshot of the plan page with Debian's headless Chromium.

    python tools/screenshot.py docs/img/plan-page.png

Migrates and loads the demo into the local database, serves it on a spare port, and
captures /planes/<id>/ of the Peru 2017-2019 plan.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/img/plan-page.png")
    traza = [sys.executable, "-m", "traza"]
    subprocess.run([*traza, "migrate", "-v0"], check=True)
    subprocess.run([*traza, "load-demo"], check=True)
    port = free_port()
    server = subprocess.Popen([*traza, "serve", "--port", str(port)])
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(50):
            try:
                urllib.request.urlopen(f"{base}/api/v1/plans/")
                break
            except OSError:
                time.sleep(0.2)
        import json

        plans = json.load(urllib.request.urlopen(f"{base}/api/v1/plans/"))["items"]
        plan = next(p for p in plans if p["number_of_commitments"] == 18)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1200, "height": 1500})
            page.goto(f"{base}/planes/{plan['id']}/")
            target.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(target))
            browser.close()
        print(f"wrote {target}")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
