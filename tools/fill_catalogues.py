"""Fill the message catalogues from a dictionary module and compile them (no gettext needed).

    python tools/fill_catalogues.py TRANSLATIONS.py

TRANSLATIONS.py defines ES = {msgid: msgstr} and PLURALS = {msgid: (singular, plural)}.
English is the source language: the English catalogue repeats every msgid.
"""

import runpy
import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "src/traza/locale"


def main() -> None:
    table = runpy.run_path(sys.argv[1]) if len(sys.argv) > 1 else {"ES": {}, "PLURALS": {}}
    missing = []
    for language in ("es", "en"):
        path = LOCALE / language / "LC_MESSAGES" / "django.po"
        po = polib.pofile(str(path))
        po.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
        po.metadata["Language"] = language
        for entry in po:
            if "fuzzy" in entry.flags:
                # makemessages guessed from a similar message: never trust the guess
                entry.flags.remove("fuzzy")
                entry.previous_msgid = entry.previous_msgid_plural = None
                entry.msgstr = ""
                entry.msgstr_plural = {k: "" for k in entry.msgstr_plural}
            if entry.msgid_plural:
                if language == "en":
                    entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
                elif entry.msgid in table["PLURALS"]:
                    one, many = table["PLURALS"][entry.msgid]
                    entry.msgstr_plural = {0: one, 1: many}
                elif not all(entry.msgstr_plural.values()):
                    missing.append(entry.msgid)
            elif language == "en":
                entry.msgstr = entry.msgid
            elif entry.msgid in table["ES"]:
                entry.msgstr = table["ES"][entry.msgid]
            elif not entry.msgstr:
                missing.append(entry.msgid)
        po.save(str(path))
        po.save_as_mofile(str(path.with_suffix(".mo")))
    if missing:
        print("untranslated:", *missing, sep="\n  ")
        sys.exit(1)


if __name__ == "__main__":
    main()
