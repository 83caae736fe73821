"""axe-core in the browser tests, offline.

`assert_no_axe_violations(page)` injects the axe-core build that ships inside the
`axe-playwright-python` package (no network, no CDN), runs the WCAG 2.0 and 2.1 A and AA
rules on the page as it is now, and fails with one readable line per violation and node:
rule id, impact, CSS target, and axe's help text with its link.

Usage::

    from tests.browser.axe import assert_no_axe_violations

    page.goto(url)
    assert_no_axe_violations(page)  # the whole document
    assert_no_axe_violations(page, context="#content")  # one region
    assert_no_axe_violations(page, impacts=SERIOUS)  # only serious or critical ones fail

`axe_violations(page, impacts=SERIOUS)` returns the violations instead of failing, for a walk
over many pages that reports every failure at once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from functools import cache
from importlib import resources
from typing import Any

#: WCAG 2.1 AA = the A and AA success criteria of WCAG 2.0 and of 2.1.
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")

#: axe-core's impact levels, least first.
IMPACTS = ("minor", "moderate", "serious", "critical")
#: The levels that fail the walks over every page (tests/browser/test_public_pages.py).
SERIOUS = ("serious", "critical")


#: True when the page executes scripts (an inline <script> runs synchronously on insertion).
SCRIPTS_RUN = """() => {
  const probe = document.createElement("script");
  probe.textContent = "window.__trazaScriptsRun = true";
  document.documentElement.appendChild(probe);
  probe.remove();
  return window.__trazaScriptsRun === true;
}"""

TIMERS_AS_MICROTASKS = """() => {
  window.setTimeout = (callback, delay, ...args) => {
    Promise.resolve().then(() => callback(...args));
    return 0;
  };
  window.clearTimeout = () => {};
}"""


#: A .css address outside /static/ (every style sheet of Traza is under /static/).
NOT_A_STYLE_SHEET = re.compile(r"^(?!.*/static/)[^?]*\.css(/|\?|$)")


def answer_stray_style_sheets(context: Any) -> None:
    """Answer 404 in the browser to any .css address outside /static/, for a context that
    runs axe on the admin's pages signed in.

    axe-core reads the style sheets again and resolves the admin's ``@import "widgets.css"``
    against the page instead of the sheet; Django redirects that address to the admin's
    index, whose session save can race the next page's: the test database (SQLite in
    memory) then says "table is locked" and Django answers the next page with 400.
    """
    context.route(NOT_A_STYLE_SHEET, lambda route: route.fulfill(status=404, body=""))


@cache
def axe_source() -> str:
    """axe.min.js as packaged by axe-playwright-python (read once per test session)."""
    return resources.files("axe_playwright_python").joinpath("axe.min.js").read_text("utf-8")


def run_axe(page: Any, *, context: str | list | dict | None = None) -> dict:
    """Run axe-core on `page` (a Playwright sync Page) and return axe's raw results.

    Works in a context created with ``java_script_enabled=False`` too: Playwright's
    `evaluate` still runs there, but the page's timers never fire, and axe-core schedules
    its work with `setTimeout`; on such a page the timers are replaced by microtasks
    (harmless: none of the page's own scripts can run).
    """
    if not page.evaluate(SCRIPTS_RUN):
        page.evaluate(TIMERS_AS_MICROTASKS)
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    options = {
        "runOnly": {"type": "tag", "values": list(WCAG_TAGS)},
        "resultTypes": ["violations"],
    }
    return page.evaluate(
        "([context, options]) => window.axe.run(context || document, options)",
        [context, options],
    )


def format_violations(violations: list[dict]) -> str:
    """One block per rule, one line per offending node, readable in a pytest failure."""
    lines: list[str] = []
    for violation in violations:
        lines.append(
            f"[{violation.get('impact') or '-'}] {violation['id']}: {violation['help']}"
            f" ({violation.get('helpUrl', '')})"
        )
        for node in violation.get("nodes", []):
            target = " ".join(
                json.dumps(part) if not isinstance(part, str) else part
                for part in node.get("target", [])
            )
            lines.append(f"    at {target}")
            summary = (node.get("failureSummary") or "").strip().replace("\n", " / ")
            if summary:
                lines.append(f"       {summary}")
    return "\n".join(lines)


def axe_violations(
    page: Any,
    *,
    context: str | list | dict | None = None,
    impacts: Collection[str] | None = None,
) -> list[dict]:
    """axe-core's WCAG A/AA violations on `page`, only those whose impact is in `impacts`
    when it is given (a violation axe reports without an impact is always kept)."""
    violations = run_axe(page, context=context).get("violations", [])
    if impacts is None:
        return violations
    return [v for v in violations if v.get("impact") in impacts or not v.get("impact")]


def assert_no_axe_violations(
    page: Any,
    *,
    context: str | list | dict | None = None,
    impacts: Collection[str] | None = None,
) -> None:
    """Fail the test when axe-core finds any WCAG 2.0/2.1 A or AA violation on `page`.

    `context` is anything axe-core accepts as context (a CSS selector, a list of them, or
    ``{"include": [...], "exclude": [...]}``); by default the whole document. `impacts`
    (e.g. ``SERIOUS``) limits the failure to violations of those impact levels; by default
    every violation fails.
    """
    violations = axe_violations(page, context=context, impacts=impacts)
    if violations:
        raise AssertionError(
            f"axe-core found {len(violations)} WCAG A/AA violation(s) on {page.url}:\n"
            + format_violations(violations)
        )
