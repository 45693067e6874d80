"""Writes Sources/Playground/Screen/WideCodePoints.swift: the code points a terminal draws two
cells wide (East_Asian_Width W or F), from Python's Unicode Character Database.

Run from the repository root: python3 Tests/Fixtures/make_width_table.py
"""
import unicodedata


def is_wide(cp):
    return unicodedata.east_asian_width(chr(cp)) in ("W", "F")


def is_unassigned(cp):
    return unicodedata.category(chr(cp)) == "Cn"


def wide_ranges():
    # Unassigned code points between two wide ones join their range, so a newer Unicode
    # version's additions inside a CJK block are wide too. Planes 2 and 3 are handled in code.
    ranges, start, last = [], None, None
    for cp in range(0x20000):
        if is_wide(cp):
            start = cp if start is None else start
            last = cp
        elif start is not None and not is_unassigned(cp):
            ranges.append((start, last))
            start = None
    if start is not None:
        ranges.append((start, last))
    return ranges


def main():
    body = "\n".join(f"    0x{a:05X}...0x{b:05X}," for a, b in wide_ranges())
    text = (
        "// Generated from the Unicode Character Database (East_Asian_Width W and F, unassigned code\n"
        "// points absorbed into the ranges around them); planes 2 and 3 are wide as a whole.\n"
        "// Regenerate with Tests/Fixtures/make_width_table.py.\n\n"
        "/// Code point ranges a terminal draws two cells wide, sorted.\n"
        "let wideCodePointRanges: [ClosedRange<UInt32>] = [\n" + body + "\n]\n"
    )
    with open("Sources/Playground/Screen/WideCodePoints.swift", "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
