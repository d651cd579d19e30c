"""Prints the fenced code block that follows `<!-- snippet: NAME -->` in a Markdown file, so that
the tests run the README's own snippets, not copies of them.
    snippets.py README.md NAME > FILE"""
import re
import sys

text = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"<!-- snippet: " + re.escape(sys.argv[2]) + r" -->\s*\n```[^\n]*\n(.*?)\n```", text, re.S)
if not m:
    sys.exit(f"{sys.argv[1]}: no snippet named {sys.argv[2]}")
print(m.group(1))
