"""One page of a walk over many pages, checked in Chromium: axe-core (serious or critical
WCAG 2.1 A/AA violations), no horizontal overflow at the viewport's width, and the page's
weight (HTML + CSS + images + fonts, decoded bytes as the browser holds them).

A walk collects the failures of every page and fails once, with one readable list
(`tests/browser/test_public_pages.py`, `tests/browser/test_staff_pages.py`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.browser.axe import SERIOUS, axe_violations, format_violations

PHONE = {"width": 360, "height": 740}
#: The most a public page may weigh: its HTML, style sheets and images (and fonts), decoded.
MAX_PAGE_BYTES = 150 * 1024

#: The bytes of the document and of every resource it loaded, by kind (decoded, as Resource
#: Timing reports them). A resource the browser takes from its memory cache gets no entry, so
#: a walk turns the cache off (`without_cache`): every page then loads, and counts, its style
#: sheet and images.
WEIGHT = """() => {
  const parts = {};
  const add = (kind, bytes) => { parts[kind] = (parts[kind] || 0) + (bytes || 0); };
  for (const entry of performance.getEntriesByType("navigation")) {
    add("document", entry.decodedBodySize);
  }
  for (const entry of performance.getEntriesByType("resource")) {
    add(entry.initiatorType, entry.decodedBodySize);
  }
  return parts;
}"""


@dataclass
class Report:
    """What a walk saw: the failures, and each page's weight (for the summary)."""

    failures: list[str] = field(default_factory=list)
    weights: dict[str, int] = field(default_factory=dict)
    pages: int = 0

    def heaviest(self) -> tuple[str, int]:
        return max(self.weights.items(), key=lambda item: item[1], default=("-", 0))

    def message(self, title: str) -> str:
        return f"{title}: {len(self.failures)} failure(s) over {self.pages} page(s)\n\n" + (
            "\n\n".join(self.failures)
        )


def without_cache(page: Any) -> None:
    """Turn Chromium's cache off for `page` (through the DevTools protocol), so that each
    page's weight counts everything it needs, as on a first visit."""
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.setCacheDisabled", {"cacheDisabled": True})


def page_weight(page: Any) -> dict[str, int]:
    return page.evaluate(WEIGHT)


def check_page(
    page: Any,
    label: str,
    report: Report,
    *,
    width: int | None = PHONE["width"],
    max_bytes: int | None = MAX_PAGE_BYTES,
) -> None:
    """Check the page as it is now; add what fails to `report` (never raises)."""
    report.pages += 1
    violations = axe_violations(page, impacts=SERIOUS)
    if violations:
        report.failures.append(f"{label}: axe-core\n{format_violations(violations)}")
    if width is not None:
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            wide = page.evaluate(
                """(width) => [...document.querySelectorAll("body *")]
                .filter((e) => e.getBoundingClientRect().right > width + 1)
                .filter((e) => !e.parentElement || e.parentElement.getBoundingClientRect().right <= width + 1)
                .slice(0, 5)
                .map((e) => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).trim().split(/\\s+/).join(".") : "")
                  + " right=" + Math.round(e.getBoundingClientRect().right))""",
                width,
            )
            report.failures.append(
                f"{label}: overflows {width} px (scrollWidth {scroll}); widest: {', '.join(wide)}"
            )
    if max_bytes is not None:
        parts = page_weight(page)
        total = sum(parts.values())
        report.weights[label] = total
        if total > max_bytes:
            detail = ", ".join(f"{kind} {size / 1024:.1f} KB" for kind, size in parts.items())
            report.failures.append(
                f"{label}: weighs {total / 1024:.1f} KB > {max_bytes / 1024:.0f} KB ({detail})"
            )
