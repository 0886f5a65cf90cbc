"""Statements as files: CSV, XLSX (openpyxl) and PDF (fpdf2, like the evidence pack), and one
CSV of every customer for a PSA or accounting import. The columns are docs/money.md's
"Statements and exports"; prices are selling prices, never costs.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from django.utils.translation import gettext as _
from fpdf import FPDF
from openpyxl import Workbook

from catalog.money import format_money

from .statements import CHARGE_WORDS, Statement

#: As the evidence pack's PDF: used when it exists, it prints every character of a name.
UNICODE_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
COLUMNS = (
    "customer_number",
    "customer_name",
    "subscription_id",
    "product",
    "charge_date",
    "charge_type",
    "charge_description",
    "seats_charged",
    "seats_after",
    "unit_price",
    "period_days",
    "charged_days",
    "amount",
    "currency",
)


def rows(statement: Statement):
    customer = statement.customer
    for line in statement.lines:
        yield (
            customer.upstream_customer_id or str(customer.pk),
            customer.company_name,
            line.subscription,
            line.product,
            line.day.isoformat(),
            line.charge_type,
            str(CHARGE_WORDS[line.charge_type]),
            line.quantity,
            line.seats,
            line.unit_cost,  # the selling price: statements are built at ledger.PRICE
            line.period_days,
            line.charged_days,
            line.amount,
            line.currency,
        )


def _total_rows(statement: Statement):
    for currency, total in sorted(statement.totals.items()):
        yield ("", "", "", _("Total"), "", "", "", "", "", "", "", "", total, currency)


def statement_csv(statement: Statement) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(rows(statement))
    writer.writerows(_total_rows(statement))
    return buffer.getvalue()


def statement_xlsx(statement: Statement) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Statement")[:31])
    sheet.append(COLUMNS)
    for row in (*rows(statement), *_total_rows(statement)):
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def all_customers_csv(statements):
    """Yield the PSA export as CSV text, a customer at a time (the columns above, no totals)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for statement in statements:
        writer.writerows(rows(statement))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def statement_pdf(statement: Statement) -> bytes:
    pdf = _StatementPDF()
    customer = statement.customer
    pdf.set_title(_("Statement"))
    pdf.add_page()
    pdf.text_line(_("Statement for %(name)s") % {"name": customer.company_name}, size=15)
    pdf.text_line(
        _("Period %(start)s to %(end)s, prices per seat and billing period, prorated by day.")
        % {"start": statement.start.isoformat(), "end": statement.end.isoformat()}
    )
    pdf.ln(2)
    widths = (22, 60, 30, 14, 14, 22, 26)
    pdf.row(
        (_("Date"), _("Product"), _("Charge"), _("Seats"), _("Days"), _("Unit price"), _("Amount")),
        widths,
        bold=True,
    )
    for line in statement.lines:
        pdf.row(
            (
                line.day.isoformat(),
                f"{line.product} ({line.subscription})",
                str(CHARGE_WORDS[line.charge_type]),
                str(line.quantity),
                f"{line.charged_days}/{line.period_days}",
                format_money(line.unit_cost, line.currency),
                format_money(line.amount, line.currency),
            ),
            widths,
        )
    pdf.ln(2)
    for currency, total in sorted(statement.totals.items()):
        pdf.text_line(_("Total: %(total)s") % {"total": format_money(total, currency)})
    return bytes(pdf.output())


class _StatementPDF(FPDF):
    def __init__(self):
        super().__init__(format="A4")
        self.set_auto_page_break(auto=True, margin=15)
        if UNICODE_FONT.exists():
            self.add_font("body", fname=str(UNICODE_FONT))
            self.family = "body"
        else:
            self.family = "helvetica"
        self.set_font(self.family, size=9)

    def printable(self, text) -> str:
        text = str(text)
        if self.family == "body":
            return text
        # French groups digits with a narrow no-break space, which Latin-1 lacks.
        return text.replace("\u202f", "\xa0").encode("latin-1", "replace").decode()

    def text_line(self, text, *, size=9):
        self.set_font(self.family, size=size)
        self.multi_cell(0, 6, self.printable(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font(self.family, size=9)

    def row(self, cells, widths, *, bold=False):
        self.set_font(self.family, size=8 if not bold else 9)
        for text, width in zip(cells, widths, strict=True):
            self.cell(width, 6, self.printable(text)[:48], border=1)
        self.ln()
