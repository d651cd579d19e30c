"""docs/authoring.md §13 prints tests/sla_guide/support_ticket.yaml: the block after the
`<!-- snippet: PATH -->` marker must be that file, character for character."""
import re
import sys
from pathlib import Path

source = Path(sys.argv[1])
doc = (source / "docs" / "authoring.md").read_text(encoding="utf-8")
blocks = re.findall(r"<!-- snippet: (\S+) -->\n```yaml\n(.*?)```\n", doc, re.S)
if not blocks:
    sys.exit("docs/authoring.md: no '<!-- snippet: PATH -->' block found")
failed = False
for path, text in blocks:
    want = (source / path).read_text(encoding="utf-8")
    if text != want:
        failed = True
        print(f"docs/authoring.md: the block marked {path} differs from the file", file=sys.stderr)
print(f"{len(blocks)} snippet(s) checked")
sys.exit(1 if failed else 0)
