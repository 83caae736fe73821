"""The keyboard focus ring stands out from what surrounds it: at least 3:1 (WCAG 1.4.11), read
from the stylesheet itself, so a colour change that breaks it fails here."""

import re
from pathlib import Path

import traza

CSS = (Path(traza.__file__).parent / "core/static/traza/traza.css").read_text()


def luminance(colour: str) -> float:
    colour = colour.lstrip("#")
    if len(colour) == 3:
        colour = "".join(c * 2 for c in colour)
    channels = [int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def variables() -> dict[str, str]:
    return dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{3,6})", CSS))


def rule(selector_part: str) -> str:
    """The declarations of the first rule whose selector contains ``selector_part``."""
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", CSS):
        if selector_part in selectors:
            return body
    raise AssertionError(f"no rule for {selector_part}")


def outline_colour(body: str) -> str:
    found = re.search(r"outline(?:-color)?:[^;]*?(#[0-9a-fA-F]{3,6})", body)
    assert found, body
    return found[1]


def test_the_test_computes_known_ratios():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert contrast("#f2a900", "#ffffff") < 3  # the amber ring it replaced: about 2:1


def test_the_focus_ring_has_3_to_1_on_every_light_background():
    ring = outline_colour(rule("a:focus-visible"))
    backgrounds = set(re.findall(r"background:\s*(#[0-9a-fA-F]{3,6})", CSS))
    backgrounds |= {variables()["bg"], variables()["soft"]}
    light = {colour for colour in backgrounds if luminance(colour) > 0.5}
    assert "#ffffff" in light and len(light) > 5
    for background in light:
        assert contrast(ring, background) >= 3, (ring, background)


def test_the_focus_ring_in_the_header_has_3_to_1_on_its_blue():
    header = outline_colour(rule(".site-header a:focus-visible"))
    assert contrast(header, variables()["accent"]) >= 3


def test_form_fields_and_summaries_show_the_same_ring():
    selectors = next(
        s for s, _ in re.findall(r"([^{}]+)\{([^}]*)\}", CSS) if "a:focus-visible" in s
    )
    for element in ("input", "select", "textarea", "summary", "button"):
        assert f"{element}:focus-visible" in selectors
