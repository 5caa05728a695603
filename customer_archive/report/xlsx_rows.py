"""Whole rows for xlsxwriter worksheets in ``constant_memory`` mode, one string a card.

xlsxwriter spends most of a big export in its per-cell API: for every cell a call
through an argument-converting decorator, a dimension check, a cell tuple, and when the
row is flushed an attribute list, escaping regexes and several small writes. An archive
card has some 180 cells, so 20,000 cards are 3.5 million such cells.

``RowWriter`` writes, for a worksheet in ``constant_memory`` mode, exactly the XML that
xlsxwriter writes for the same ``write_string`` / ``write_number`` / ``write_blank`` /
``write_datetime`` calls (inline strings, the same escaping, number and date
conversion, the formats' style indexes assigned in the same order of first use), but
builds a whole block of rows as one string and writes it to the worksheet's row file
at once. Fixed cells (labels, headers, section bands) are rendered once per export.
Any other worksheet goes through xlsxwriter's own calls. ``tests/test_export.py``
compares both ways byte for byte, so a different xlsxwriter that writes other XML is
noticed.
"""

import datetime
import math
import re

import xlsxwriter
from xlsxwriter.utility import datetime_to_excel_datetime, preserve_whitespace

try:
    from xlsxwriter.worksheet import re_control_chars_1, re_control_chars_2
except ImportError:  # another xlsxwriter: its own calls only
    re_control_chars_1 = re_control_chars_2 = None

# The xlsxwriter releases whose XML the tests compare byte for byte with the fast
# path (the one Odoo 18 pins below Python 3.12); any other writes through
# xlsxwriter's own calls: slower, never different.
VERIFIED_XLSXWRITER = ("3.0.2",)

# Styles whose cells are fixed texts: rendered once per export and reused.
STATIC_STYLES = ("title", "section", "label", "header")
# Styles of a band across the card: the text in the first column, then blank cells.
BAND_STYLES = ("title", "section")
COLUMN_LETTERS = [chr(ord("A") + i) for i in range(26)]
# Layouts kept (cards differ by their number of key people): a few are enough.
MAX_TEMPLATES = 50
# A string needing none of xlsxwriter's escapes, whitespace marks or rich text goes
# into the cell as it is: no control character, no "_xHHHH_", no XML special
# character, no leading or trailing whitespace.
NEEDS_CARE = re.compile(
    r"[\x00-\x08\x0b-\x1f\ufffe\uffff&<>]|_x[0-9a-fA-F]{4}_|^\s|\s$"
)


def _control_escaped(string):
    """The control character escaping of xlsxwriter's inline strings."""
    string = re_control_chars_1.sub(r"_x005F\1", string)
    string = re_control_chars_2.sub(lambda m: f"_x{ord(m.group(1)):04X}_", string)
    return string.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")


def _string_tail(string, xf):
    """A string cell after its reference: ``" s=".." t="inlineStr">...</c>``."""
    if len(string) <= 32767 and not NEEDS_CARE.search(string):
        return f'"{xf} t="inlineStr"><is><t>{string}</t></is></c>'
    if len(string) > 32767:
        string = string[:32767]
    string = _control_escaped(string)
    if string.startswith("<r>") and string.endswith("</r>"):
        # xlsxwriter writes such a string as rich text, unescaped.
        return f'"{xf} t="inlineStr"><is>{string}</is></c>'
    space = ' xml:space="preserve"' if preserve_whitespace(string) else ""
    if "&" in string or "<" in string or ">" in string:
        string = string.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'"{xf} t="inlineStr"><is><t{space}>{string}</t></is></c>'


def _braces(text):
    """``text`` as a literal part of a format string."""
    return text.replace("{", "{{").replace("}", "}}")


def _number_tail(number, xf):
    if isinstance(number, float) and (math.isnan(number) or math.isinf(number)):
        raise TypeError(
            "NAN/INF not supported in write_number() "
            "without 'nan_inf_to_errors' Workbook() option"
        )
    return f'"{xf}><v>{number:.16G}</v></c>'


def write_typed(sheet, row, col, value, styles):
    """Write one typed cell through xlsxwriter's API; False/None/"" stays an empty
    bordered cell. The one typing of a value cell, for the whole-card path
    (``RowWriter._value_tail`` writes the same XML) and every other sheet."""
    if value is None or value is False or value == "":
        sheet.write_blank(row, col, None, styles["text"])
    elif isinstance(value, bool):
        sheet.write_string(row, col, "✓", styles["text"])
    elif isinstance(value, datetime.datetime):
        sheet.write_datetime(row, col, value, styles["date"])
    elif isinstance(value, datetime.date):
        sheet.write_datetime(
            row, col, datetime.datetime.combine(value, datetime.time()), styles["date"]
        )
    elif isinstance(value, int):
        sheet.write_number(row, col, value, styles["integer"])
    elif isinstance(value, float):
        sheet.write_number(row, col, value, styles["number"])
    else:
        sheet.write_string(row, col, str(value), styles["text"])


class RowWriter:
    """Writes rows of (value, style) cells into one worksheet; see the module doc.

    A cell's value is typed as ``CustomerArchiveXlsx._write`` types it; a cell of a
    fixed-text style (label, header, title, section) is always a string, and a title
    or section row is a band over ``band_columns`` columns."""

    def __init__(self, sheet, styles, band_columns):
        self.sheet = sheet
        self.styles = styles
        self.band_columns = band_columns
        self.fast = (
            bool(sheet.constant_memory)
            and sheet.excel_version == 2007
            and xlsxwriter.__version__ in VERIFIED_XLSXWRITER
            and re_control_chars_1 is not None
        )
        self._xf = {}
        self._static = {}
        self._dates = {}
        self._templates = {}
        self._date_1904 = sheet.date_1904
        self._remove_timezone = sheet.remove_timezone

    # ------------------------------------------------------------ fast path
    def _xf_attr(self, style):
        """``' s="N"'`` of a style, its index assigned on first use as xlsxwriter
        does when it writes the cell."""
        attr = self._xf.get(style)
        if attr is None:
            attr = self._xf[style] = f' s="{self.styles[style]._get_xf_index()}"'
        return attr

    def _static_tail(self, value, style):
        key = (value, style)
        tail = self._static.get(key)
        if tail is None:
            tail = self._static[key] = _string_tail(str(value), self._xf_attr(style))
        return tail

    def _band_tails(self, text, style):
        key = (text, style, "band")
        tails = self._static.get(key)
        if tails is None:
            first = _string_tail(text, self._xf_attr(style))
            blank = f'"{self._xf_attr(style)}/>'
            tails = self._static[key] = [first] + [blank] * (self.band_columns - 1)
        return tails

    def _value_tail(self, value):
        if type(value) is str and value:
            return _string_tail(value, self._xf_attr("text"))
        if value is None or value is False or value == "":
            return f'"{self._xf_attr("text")}/>'
        if isinstance(value, bool):
            return self._static_tail("✓", "text")
        if isinstance(value, datetime.date):
            if not isinstance(value, datetime.datetime):
                value = datetime.datetime.combine(value, datetime.time())
            number = self._dates.get(value)
            if number is None:
                if len(self._dates) > 10000:
                    self._dates.clear()
                number = self._dates[value] = datetime_to_excel_datetime(
                    value, self._date_1904, self._remove_timezone
                )
            return _number_tail(number, self._xf_attr("date"))
        if isinstance(value, int):
            return _number_tail(value, self._xf_attr("integer"))
        if isinstance(value, float):
            return _number_tail(value, self._xf_attr("number"))
        return _string_tail(str(value), self._xf_attr("text"))

    def write_rows(self, start_row, rows):
        """Write ``rows`` from ``start_row`` on; return the row after the last."""
        if not self.fast or start_row + len(rows) > self.sheet.xls_rowmax:
            return self._write_rows_per_cell(start_row, rows)
        sheet = self.sheet
        if sheet.dim_rowmax is not None and start_row <= sheet.dim_rowmax:
            raise ValueError("rows of a constant_memory worksheet go in order")
        if sheet.table:
            # A row written by xlsxwriter's own calls is still pending: flush it.
            sheet._write_single_row(start_row)
        # A block laid out as one seen before (same rows, same fixed texts): its
        # template, the row numbers and the value cells filled in.
        layout = tuple(
            tuple(
                (value, style) if style in STATIC_STYLES else None
                for value, style in row
            )
            for row in rows
        )
        template = self._templates.get(layout)
        if template is not None:
            text, first, last, last_col = template
            tails = self._value_tails(rows)
            sheet.fh.write(
                text.format(*range(start_row + 1, start_row + len(rows) + 1), *tails)
            )
            self._track(start_row + first, start_row + last, last_col)
            return start_row + len(rows)
        parts = []
        # (row, cells written) of each row; xlsxwriter writes no element for a row
        # without cells
        written = [
            (row_index, self._row_xml(parts.append, row_index, row))
            for row_index, row in enumerate(rows, start_row)
            if row
        ]
        if written:
            sheet.fh.write("".join(parts))
            last_col = max(cells for __, cells in written) - 1
            self._track(written[0][0], written[-1][0], last_col)
        if written and len(self._templates) < MAX_TEMPLATES:
            # Written the first time by the rows themselves: the styles' indexes are
            # assigned in the order of the cells, as xlsxwriter does.
            self._templates[layout] = (
                self._template(rows),
                written[0][0] - start_row,
                written[-1][0] - start_row,
                last_col,
            )
        return start_row + len(rows)

    def _template(self, rows):
        """The XML of a block of rows as a format string: ``{i}`` the number of
        its i-th row, ``{len(rows) + j}`` the j-th value cell."""
        letters = COLUMN_LETTERS
        parts, slot = [], len(rows)
        for index, row in enumerate(rows):
            if not row:
                continue
            parts.append(f'<row r="{{{index}}}">')
            if len(row) == 1 and row[0][1] in BAND_STYLES:
                tails = self._band_tails(row[0][0], row[0][1])
                for col, tail in enumerate(tails):
                    parts.append(f'<c r="{letters[col]}{{{index}}}' + _braces(tail))
            else:
                for col, (value, style) in enumerate(row):
                    if style in STATIC_STYLES:
                        tail = _braces(self._static_tail(value, style))
                    else:
                        tail, slot = f"{{{slot}}}", slot + 1
                    parts.append(f'<c r="{letters[col]}{{{index}}}' + tail)
            parts.append("</row>")
        return "".join(parts)

    def _value_tails(self, rows):
        """The value cells of ``rows`` after their references, in order."""
        xf, needs_care = self._xf, NEEDS_CARE.search
        tails = []
        append = tails.append
        for row in rows:
            for value, style in row:
                if style in STATIC_STYLES:
                    continue
                if type(value) is str and value and len(value) <= 32767:
                    text_xf = xf.get("text") or self._xf_attr("text")
                    if needs_care(value):
                        append(_string_tail(value, text_xf))
                    else:
                        append(f'"{text_xf} t="inlineStr"><is><t>{value}</t></is></c>')
                else:
                    append(self._value_tail(value))
        return tails

    def _row_xml(self, append, row_index, row):
        """Append the XML of one row; return the number of cells it has."""
        letters = COLUMN_LETTERS
        ref_row = str(row_index + 1)
        append(f'<row r="{ref_row}">')
        if len(row) == 1 and row[0][1] in BAND_STYLES:
            for col, tail in enumerate(self._band_tails(row[0][0], row[0][1])):
                append(f'<c r="{letters[col]}{ref_row}{tail}')
            append("</row>")
            return self.band_columns
        static, xf, needs_care = self._static, self._xf, NEEDS_CARE.search
        # The inner loop: the common cells without a call each.
        for col, (value, style) in enumerate(row):
            if style in STATIC_STYLES:
                tail = static.get((value, style))
                if tail is None:
                    tail = self._static_tail(value, style)
            elif type(value) is str and value and len(value) <= 32767:
                text_xf = xf.get("text") or self._xf_attr("text")
                if needs_care(value):
                    tail = _string_tail(value, text_xf)
                else:
                    tail = f'"{text_xf} t="inlineStr"><is><t>{value}</t></is></c>'
            else:
                tail = self._value_tail(value)
            append(f'<c r="{letters[col]}{ref_row}{tail}')
        append("</row>")
        return len(row)

    def _track(self, first_row, last_row, last_col):
        """What xlsxwriter's _check_dimensions() and row flushing keep track of."""
        sheet = self.sheet
        if sheet.dim_rowmin is None or first_row < sheet.dim_rowmin:
            sheet.dim_rowmin = first_row
        if sheet.dim_rowmax is None or last_row > sheet.dim_rowmax:
            sheet.dim_rowmax = last_row
        if sheet.dim_colmin is None or sheet.dim_colmin > 0:
            sheet.dim_colmin = 0
        if sheet.dim_colmax is None or last_col > sheet.dim_colmax:
            sheet.dim_colmax = last_col
        sheet.previous_row = last_row

    # ---------------------------------------------- xlsxwriter's own calls
    def _write_cell(self, row, col, value):
        """One value cell through xlsxwriter's API (the typing of ``_value_tail``)."""
        write_typed(self.sheet, row, col, value, self.styles)

    def _write_rows_per_cell(self, start_row, rows):
        sheet, styles = self.sheet, self.styles
        row_index = start_row
        for row in rows:
            if len(row) == 1 and row[0][1] in BAND_STYLES:
                # A band across the card, not a merged range: xlsxwriter keeps every
                # merged range in memory until the book is closed.
                style = styles[row[0][1]]
                sheet.write_string(row_index, 0, row[0][0], style)
                for col in range(1, self.band_columns):
                    sheet.write_blank(row_index, col, None, style)
            else:
                for col, (value, style) in enumerate(row):
                    if style in STATIC_STYLES:
                        sheet.write_string(row_index, col, str(value), styles[style])
                    else:
                        self._write_cell(row_index, col, value)
            row_index += 1
        return row_index
