#!/usr/bin/env bash
# `redress replay --report`: the page opens in headless Chromium (Debian `chromium`), its DOM
# holds the figures, and a screenshot shows the charts (pixels of the "new" bars' blue).
# Exit 77 (CTest: skipped) where Chromium is not installed.
#   replay_report_test.sh REDRESS_BINARY SOURCE_DIR
set -u
bin=$1
src=$2
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
  echo "SKIP: no chromium (Debian: apt-get install chromium)"
  exit 77
fi
. "$(dirname "$0")/lib.sh"

old=$src/tests/fixtures/pack_first_edition
cp -r "$old" "$tmp/new"
sed -i 's/min(order_value, 100 EUR) : 100 EUR/min(order_value, 150 EUR) : 150 EUR/' "$tmp/new/delivery_delay.yaml"
"$bin" replay --old "$old" --new "$tmp/new" "$src/tests/replay/cases.jsonl" --report "$tmp/report.html" -q >/dev/null
check "report written" test -s "$tmp/report.html"

# Headless, offline: no network is needed, none is used (a page that fetched would still render
# here, so the "no external resource" check is in replay_test.sh).
run() {
  timeout 120 "$browser" --headless=new --no-sandbox --disable-gpu --no-first-run --disable-extensions \
    --user-data-dir="$tmp/profile" "$@" "file://$tmp/report.html" 2>>"$tmp/chromium.log"
}
run --dump-dom >"$tmp/dom.html"
check "chromium read the page" grep -q '</html>' "$tmp/dom.html"
check "DOM: the compensation delta" grep -q '+100.00 EUR' "$tmp/dom.html"
check "DOM: the per-playbook totals" grep -q '240.98 EUR' "$tmp/dom.html"
check "DOM: the charts" test "$(grep -o '<svg' "$tmp/dom.html" | wc -l)" -ge 3
check "DOM: the two changed cases, side by side" test "$(grep -o 'class="side"' "$tmp/dom.html" | wc -l)" -eq 2

run --screenshot="$tmp/shot.png" --window-size=1280,2400 >/dev/null
check "screenshot taken" test -s "$tmp/shot.png"
# Decodes the PNG (zlib + the five row filters) and counts pixels of the bars' colours.
check "screenshot: not blank, the bars drawn" python3 - "$tmp/shot.png" <<'EOF'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n"
pos, idat, width, height, ctype = 8, b"", 0, 0, 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
        assert depth == 8 and ctype in (2, 6), (depth, ctype)
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
bpp = 3 if ctype == 2 else 4
raw, stride, prev, rows = zlib.decompress(idat), width * bpp, bytearray(width * bpp), []
for y in range(height):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b, c = prev[i], prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(line)
    prev = line
blue = grey = other = 0
for line in rows:
    for x in range(0, stride, bpp):
        px = tuple(line[x:x + 3])
        if px == (0x35, 0x73, 0xc9): blue += 1
        elif px == (0xaa, 0xaa, 0xaa): grey += 1
        elif px != (255, 255, 255): other += 1
print(f"{width}x{height}: {blue} blue, {grey} grey, {other} other non-white pixels")
sys.exit(0 if blue > 500 and grey > 500 and other > 1000 else 1)
EOF

finish
