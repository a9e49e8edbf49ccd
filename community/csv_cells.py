"""Cells for every CSV Hearth writes: text that a spreadsheet would run as a formula is neutralised.

Names and handles come from other platforms; a cell starting with =, +, -, @, tab or carriage return is a formula to
Excel, LibreOffice and Google Sheets (OWASP "CSV injection"), so such text gets a leading apostrophe. Numbers stay.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_row(values) -> list:
    return [csv_cell(value) for value in values]
