"""Response templates with placeholders, filled in for each person.

A template is plain text with placeholders in braces, in Spanish or in English (the same
six, two names each). ``{{`` and ``}}`` write a literal brace. A placeholder that is
unknown, or that cannot be filled for some contribution (``{compromiso}`` when no
commitment version is linked, ``{entidad}`` when nothing was forwarded), is an error naming
the placeholder and the contributions concerned: a person never receives a text with a
hole or a stray ``{compromiso}`` in it.

- ``{nombre}`` / ``{name}``: the author's name, only when they agreed to have it shown;
  otherwise a neutral word ("participant"), so "Hola {nombre}:" always reads well;
- ``{cita}`` / ``{quote}``: their contribution, quoted and shortened at a word boundary;
- ``{compromiso}`` / ``{commitment}``: the title of the linked commitment(s);
- ``{enlace_compromiso}`` / ``{commitment_link}``: its absolute address;
- ``{entidad}`` / ``{entity}``: the entity it was forwarded to;
- ``{enlace_aporte}`` / ``{contribution_link}``: the contribution's public page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from traza.cocreation.models import Contribution
from traza.plans.models import CommitmentVersion

#: every accepted name → the value it stands for
PLACEHOLDERS: dict[str, str] = {
    "nombre": "name",
    "name": "name",
    "cita": "quote",
    "quote": "quote",
    "compromiso": "commitment",
    "commitment": "commitment",
    "enlace_compromiso": "commitment_link",
    "commitment_link": "commitment_link",
    "entidad": "entity",
    "entity": "entity",
    "enlace_aporte": "contribution_link",
    "contribution_link": "contribution_link",
}

#: how long a quote may be (characters), cut at a word boundary
QUOTE_LENGTH = 160

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


class TemplateSyntaxProblem(ValueError):
    """A brace that opens no placeholder (write ``{{`` or ``}}`` for a literal one)."""


@dataclass
class PlaceholderProblems:
    """What keeps a template from being filled: unknown names, and for each known name the
    contributions it cannot be filled for. Empty when the template can be used."""

    syntax: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    unresolved: dict[str, list[Contribution]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.syntax or self.unknown or self.unresolved)

    def messages(self) -> list[str]:
        """One translated sentence per problem."""
        found = list(self.syntax)
        for name in self.unknown:
            found.append(
                _("The placeholder {%(name)s} does not exist. Known: %(known)s.")
                % {"name": name, "known": ", ".join(f"{{{k}}}" for k in PLACEHOLDERS)}
            )
        for name, contributions in self.unresolved.items():
            found.append(
                _("The placeholder {%(name)s} cannot be filled for %(contributions)s: %(why)s")
                % {
                    "name": name,
                    "contributions": ", ".join(str(c) for c in contributions),
                    "why": _WHY[PLACEHOLDERS[name]](),
                }
            )
        return found


_WHY = {
    "commitment": lambda: _("link a commitment version to the decision."),
    "commitment_link": lambda: _("link a commitment version to the decision."),
    "entity": lambda: _("name the entity it was forwarded to."),
}


def parse(body: str) -> list[str | tuple[str]]:
    """The template as literal strings and ``(name,)`` placeholders; raises
    :class:`TemplateSyntaxProblem` on a lone brace."""
    parts: list[str | tuple[str]] = []
    position = 0
    for match in _TOKEN.finditer(body):
        if match.start() > position:
            parts.append(body[position : match.start()])
        token = match.group(0)
        if token in ("{{", "}}"):
            parts.append(token[0])
        elif match.group(1) is not None:
            parts.append((match.group(1).strip(),))
        else:
            line = body.count("\n", 0, match.start()) + 1
            raise TemplateSyntaxProblem(
                _(
                    "Line %(line)s has a brace “%(brace)s” that opens or closes no placeholder; "
                    "write it twice (“%(brace)s%(brace)s”) to show it as it is."
                )
                % {"line": line, "brace": token}
            )
        position = match.end()
    if position < len(body):
        parts.append(body[position:])
    return parts


def placeholders_in(body: str) -> list[str]:
    """The placeholder names used, in order of first use (syntax errors raise)."""
    names: list[str] = []
    for part in parse(body):
        if isinstance(part, tuple) and part[0] not in names:
            names.append(part[0])
    return names


def quote(text: str, length: int = QUOTE_LENGTH) -> str:
    """The contribution in quotation marks, whitespace folded and cut at a word boundary
    (or at the end of its first sentence when that comes before the limit)."""
    folded = " ".join(text.split())
    if len(folded) > length:
        cut = folded[:length]
        sentence = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
        if sentence >= length // 2:
            folded = cut[: sentence + 1]
        else:
            space = cut.rfind(" ")
            folded = (cut[:space] if space > length // 2 else cut).rstrip(",;:.- ") + "…"
    if folded.endswith(".") and not folded.endswith(".."):
        folded = folded[:-1]  # the sentence's full stop goes after the closing quote
    return f"“{folded}”"


def _commitments(versions: Sequence[CommitmentVersion]) -> list:
    seen: dict[int, object] = {}
    for version in versions:
        seen.setdefault(version.commitment_id, version.commitment)
    return list(seen.values())


def value_of(
    key: str,
    contribution: Contribution,
    versions: Sequence[CommitmentVersion],
    forwarded_to: str,
) -> str | None:
    """The text of one placeholder for one contribution, or None when it cannot be filled."""
    if key == "name":
        if contribution.show_author and contribution.author_name.strip():
            return contribution.author_name.strip()
        return _("participant")
    if key == "quote":
        return quote(contribution.text)
    if key == "contribution_link":
        with translation.override(settings.LANGUAGE_CODE):  # the text is in the site's language
            return f"{settings.TRAZA_BASE_URL}{contribution.get_absolute_url()}"
    if key == "entity":
        return forwarded_to.strip() or None
    commitments = _commitments(versions)
    if not commitments:
        return None
    if key == "commitment":
        return "; ".join(c.title for c in commitments)
    with translation.override(settings.LANGUAGE_CODE):
        return " ".join(f"{settings.TRAZA_BASE_URL}{c.get_absolute_url()}" for c in commitments)


def check(
    body: str,
    contributions: Iterable[Contribution],
    *,
    versions: Sequence[CommitmentVersion] = (),
    forwarded_to: str = "",
) -> PlaceholderProblems:
    """What keeps ``body`` from being filled for every one of ``contributions``."""
    problems = PlaceholderProblems()
    try:
        names = placeholders_in(body)
    except TemplateSyntaxProblem as error:
        problems.syntax.append(str(error))
        return problems
    problems.unknown = [name for name in names if name not in PLACEHOLDERS]
    known = [name for name in names if name in PLACEHOLDERS]
    for contribution in contributions:
        for name in known:
            if value_of(PLACEHOLDERS[name], contribution, versions, forwarded_to) is None:
                problems.unresolved.setdefault(name, []).append(contribution)
    return problems


def render(
    body: str,
    contribution: Contribution,
    *,
    versions: Sequence[CommitmentVersion] = (),
    forwarded_to: str = "",
) -> str:
    """``body`` filled in for ``contribution``; raises ValueError when it cannot be (call
    :func:`check` first to get the messages people read)."""
    out = []
    for part in parse(body):
        if isinstance(part, str):
            out.append(part)
            continue
        name = part[0]
        if name not in PLACEHOLDERS:
            raise ValueError(f"unknown placeholder {{{name}}}")
        value = value_of(PLACEHOLDERS[name], contribution, versions, forwarded_to)
        if value is None:
            raise ValueError(f"placeholder {{{name}}} cannot be filled for {contribution.pk}")
        out.append(value)
    return "".join(out)


_LEFTOVER = re.compile(r"(?<!\{)\{\s*(" + "|".join(PLACEHOLDERS) + r")\s*\}(?!\})")


def leftover_placeholders(text: str) -> list[str]:
    """Placeholders still written in a final text (someone typed ``{nombre}`` into the
    per-person text, or edited a filled template back): publishing it would send them."""
    return sorted({m.group(1) for m in _LEFTOVER.finditer(text)})
