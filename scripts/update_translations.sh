#!/usr/bin/env bash
# Refresh the Traditional Chinese translation from the desktop sources.
#
# lupdate reads every tr() string in desktop/ (desktop/ui/ too) into the .ts
# file, keeping the translations it already has. A string that only moved
# (to another class, so another context) gets the translation it had
# before, then lrelease compiles the .ts into the .qm the app loads.
# Running it twice changes nothing. New strings are listed at the end as
# unfinished: translate them in Qt Linguist (pyside6-linguist) or in the
# .ts, then run this again.
set -euo pipefail

cd "$(dirname "$0")/.."
BIN="${VENV_BIN:-.venv/bin}"
TS=resources/translations/reelwright_zh_TW.ts
QM=resources/translations/reelwright_zh_TW.qm
mapfile -t SOURCES < <(find desktop -name '*.py' | sort)

lupdate() {
    "$BIN/pyside6-lupdate" -silent -locations relative \
        -source-language en -target-language zh_TW "$@" \
        "${SOURCES[@]}" -ts "$TS"
}

mkdir -p "$(dirname "$TS")"

# First pass keeps the strings that left the sources, so the next step
# can give their translations to the same text in its new place.
lupdate
"$BIN/python" - "$TS" <<'PY'
import sys
import xml.etree.ElementTree as ET

path = sys.argv[1]
tree = ET.parse(path)
gone = {"vanished", "obsolete"}
memory = {}
for message in tree.iter("message"):
    translation = message.find("translation")
    if translation.get("type") in gone and translation.text:
        memory.setdefault(message.findtext("source"), translation.text)
moved = 0
for message in tree.iter("message"):
    translation = message.find("translation")
    source = message.findtext("source")
    if translation.get("type") == "unfinished" and source in memory:
        translation.text = memory[source]
        del translation.attrib["type"]
        moved += 1
if moved:
    tree.write(path, encoding="utf-8", xml_declaration=True)
    print(f"Kept the translation of {moved} string(s) that moved.")
PY
# Second pass drops the strings that are gone for good.
lupdate -no-obsolete

"$BIN/pyside6-lrelease" -silent "$TS" -qm "$QM"

"$BIN/python" - "$TS" <<'PY'
import sys
import xml.etree.ElementTree as ET

tree = ET.parse(sys.argv[1])
unfinished = [
    (context.findtext("name"), message.findtext("source"))
    for context in tree.iter("context")
    for message in context.iter("message")
    if message.find("translation").get("type") == "unfinished"
]
for context, source in unfinished:
    print(f"Untranslated in {context}: {source!r}")
print(f"{len(unfinished)} string(s) still need a translation.")
PY
