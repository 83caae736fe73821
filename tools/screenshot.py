"""Take the screenshots of the README and the guides with Debian's headless Chromium.

    python tools/screenshot.py docs/img

Migrates and loads the demo into the local database, serves it on a spare port, and
captures the pages of the Peru 2017-2019 plan listed in SHOTS and the pages of the
fictional living demo plan listed in LIVING_SHOTS (some of them at 390 px, a phone).
"""

from __future__ import annotations

import re
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


PHONE_WIDTH, DESKTOP_WIDTH = 390, 1200

# file name → (path on the site, height of the window)
SHOTS = {
    "plan-page.png": ("/planes/{plan}/", 1500),
    "calendar.png": ("/planes/{plan}/calendario/", 1400),
    "event-page.png": ("/eventos/{event}/", 1100),
    "contributions.png": ("/planes/{plan}/aportes/", 1200),
    "flow.png": ("/planes/{plan}/flujo/", 1600),
    "dashboard.png": ("/planes/{plan}/tablero/", 1500),
    "process.png": ("/planes/{plan}/proceso/", 1700),
}

# The fictional living demo: file name → (path, width, height). {commitment} is a commitment
# that contributions changed, {contribution} an answered contribution behind it.
LIVING_SHOTS = {
    "living-plan.png": ("/planes/{plan}/", DESKTOP_WIDTH, 1700),
    "living-flow.png": ("/planes/{plan}/flujo/", DESKTOP_WIDTH, 1100),
    "living-flow-phone.png": ("/planes/{plan}/flujo/", PHONE_WIDTH, 1500),
    "living-commitment.png": ("/compromisos/{commitment}/", DESKTOP_WIDTH, 1500),
    "living-journey.png": ("/aportes/{contribution}/", DESKTOP_WIDTH, 1200),
    "living-journey-phone.png": ("/aportes/{contribution}/", PHONE_WIDTH, 1400),
}


def living_demo_ids(base: str, plans: list[dict]) -> dict[str, int]:
    """The living demo plan, a commitment whose text contributions changed, and the first
    contribution listed behind it (read from the API and the pages, as a visitor would)."""
    plan = next(p for p in plans if p.get("is_fictional"))["id"]
    page = urllib.request.urlopen(f"{base}/planes/{plan}/").read().decode()
    commitments = re.findall(r'href="/compromisos/(\d+)/"', page)
    for commitment in commitments:
        detail = urllib.request.urlopen(f"{base}/compromisos/{commitment}/").read().decode()
        behind = detail.split('id="origin-contributions"', 1)[-1]
        found = re.search(r'href="/aportes/(\d+)/"', behind)
        if found:
            return {"plan": plan, "commitment": int(commitment), "contribution": int(found[1])}
    raise SystemExit("no commitment of the living demo shows the contributions behind it")


def main() -> None:
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/img")
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

        plans = json.load(urllib.request.urlopen(f"{base}/api/v1/plans/?limit=100"))["items"]
        plan = next(p for p in plans if p["number_of_commitments"] == 18)["id"]
        calendar = urllib.request.urlopen(f"{base}/planes/{plan}/calendario/").read().decode()
        event = re.search(r'href="/eventos/(\d+)/"', calendar).group(1)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            target.mkdir(parents=True, exist_ok=True)
            for name, (path, height) in SHOTS.items():
                page = browser.new_page(viewport={"width": 1200, "height": height})
                page.goto(base + path.format(plan=plan, event=event))
                page.screenshot(path=str(target / name))
                page.close()
                print(f"wrote {target / name}")
            ids = living_demo_ids(base, plans)
            for name, (path, width, height) in LIVING_SHOTS.items():
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(base + path.format(**ids))
                page.screenshot(path=str(target / name))
                page.close()
                print(f"wrote {target / name}")
            browser.close()
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
