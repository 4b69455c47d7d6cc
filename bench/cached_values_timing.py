"""Timing of the cached-value readers behind workbook.open_book (issue 8/9): not a test.

Compares, on one workbook, the three ways of getting what a viewer shows:
  openpyxl.load_workbook(data_only=True)  — the second load open_book used to do;
  xmlscan.scan_package                    — one streaming pass over the sheet XML (kept);
  python-calamine                         — fast, but no int/float, empty-text or error fidelity.
and checks that the scan gives exactly openpyxl's values. Usage:
  python bench/cached_values_timing.py [file.xlsx] [repeats]
"""
from __future__ import annotations

import statistics
import sys
import time


def _time(fn, n):
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return statistics.median(out)


def main(path: str, n: int = 7) -> None:
    import openpyxl
    import python_calamine as pc

    from annexproc import safety, source, workbook, xmlscan

    src = source.read(path)
    facts = safety.inspect_zip(src)

    def by_openpyxl():
        wv = openpyxl.load_workbook(path, data_only=True)
        return {ws.title: {k: c.value for k, c in ws._cells.items() if c.value is not None} for ws in wv.worksheets}

    def by_scan():
        return xmlscan.scan_package(source.Source.of_bytes(path, src.data), facts)

    def by_calamine():
        wb = pc.CalamineWorkbook.from_path(path)
        return {n: wb.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in wb.sheet_names}

    def full_open():
        return workbook.open_book(path)

    def formulas_only():
        return openpyxl.load_workbook(path, data_only=False, rich_text=False)

    ref = by_openpyxl()
    book = workbook.open_book(path)
    diffs = 0
    for s in book.sheets:
        want = ref[s.name]
        got = s.cached
        for k in set(want) | set(got):
            a, b = want.get(k), got.get(k)
            if a != b or type(a) is not type(b):
                diffs += 1
                if diffs <= 10:
                    print("  differs", s.name, k, repr(a), repr(b))
    print(f"{path}: cells {sum(len(v) for v in ref.values())}, differences from openpyxl data_only: {diffs}")
    base = _time(by_openpyxl, n)
    for name, fn in (("openpyxl data_only load", by_openpyxl), ("streaming scan (kept)", by_scan),
                     ("python-calamine", by_calamine), ("openpyxl formulas load", formulas_only),
                     ("open_book total", full_open)):
        t = _time(fn, n)
        print(f"  {name:<26} {t * 1000:8.1f} ms  {t / base:5.2f}×")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "samples/sample.xlsx", int(sys.argv[2]) if len(sys.argv) > 2 else 7)
