"""Importing a Programs & Events Dashboard CSV export as figures of one partnership.

The accepted file is the Dashboard's course (or campaign) statistics CSV: one row per course, with
the column names of its `CourseCsvBuilder` (WikiEducationFoundation/WikiEduDashboard,
lib/analytics/course_csv_builder.rb). The columns read are `COLUMNS`; `course_slug` is required,
`start_date` and `end_date` are read when present (else the period given), others are ignored.
The whole file is checked first: one bad cell and nothing is recorded, and the message names the
row and the column.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.outcomes import services
from hub.outcomes.models import Figure, MetricDefinition
from hub.partnerships.models import Partnership

# Dashboard column -> the hub's metric.
COLUMNS = {
    "editors": "participants",
    "articles_created": "pages_created",
    "articles_edited": "pages_improved",
    "article_views": "page_views",
    "upload_count": "commons_uploads",
    "uploads_used_in_articles": "files_in_use",
}
MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024


def _date(text: str, row: int, column: str, errors: list[str]) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text.strip()[:10])
    except ValueError:
        errors.append(
            _("Row %(row)s, column %(column)s: '%(value)s' is not a date such as 2024-05-31.")
            % {"row": row, "column": column, "value": text[:40]}
        )
        return None


def _rows(data: bytes) -> list[dict[str, str]]:
    if len(data) > MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than 5 MB.")})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError({"file": _("The file is not UTF-8 text (a CSV file).")}) from error
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    if "course_slug" not in header:
        raise ValidationError(
            {"file": _("The file has no course_slug column: is it a Dashboard course CSV?")}
        )
    if not set(COLUMNS) & set(header):
        raise ValidationError(
            {
                "file": _("The file has none of the columns %(columns)s.")
                % {"columns": ", ".join(COLUMNS)}
            }
        )
    rows = [{(k or "").strip(): (v or "") for k, v in row.items()} for row in reader]
    if len(rows) > MAX_ROWS:
        raise ValidationError(
            {"file": _("The file has more than %(max)s rows.") % {"max": MAX_ROWS}}
        )
    if not rows:
        raise ValidationError({"file": _("The file has no rows below its header.")})
    return rows


def dashboard_csv_import(
    *,
    actor,
    partnership: Partnership,
    data: bytes,
    period_start: datetime.date,
    period_end: datetime.date,
) -> list[Figure]:
    """Record one figure per course and metric column of a Dashboard CSV. A course imported twice
    (in two partnerships) counts once in roll-ups: its slug is the figures' source reference."""
    services.check_may_edit(actor, partnership)
    rows = _rows(data)
    definitions = {d.key: d for d in MetricDefinition.objects.current()}
    errors: list[str] = []
    planned = []
    for number, row in enumerate(rows, start=2):
        slug = row.get("course_slug", "").strip()
        if not slug:
            errors.append(_("Row %(row)s, column course_slug: it is empty.") % {"row": number})
            continue
        start, end = period_start, period_end
        if row.get("start_date", "").strip():
            start = _date(row["start_date"], number, "start_date", errors) or start
        if row.get("end_date", "").strip():
            end = _date(row["end_date"], number, "end_date", errors) or end
        if end < start:
            errors.append(
                _("Row %(row)s, column end_date: the course ends before it starts.")
                % {"row": number}
            )
        for column, metric in COLUMNS.items():
            text = row.get(column, "").strip()
            if not text:
                continue
            try:
                value = decimal.Decimal(text)
                if value < 0 or not value.is_finite():
                    raise decimal.InvalidOperation
            except decimal.InvalidOperation:
                errors.append(
                    _("Row %(row)s, column %(column)s: '%(value)s' is not a number of 0 or more.")
                    % {"row": number, "column": column, "value": text[:40]}
                )
                continue
            planned.append((definitions[metric], start, end, value, slug))
    if errors:
        raise ValidationError({"file": errors[:50]})
    if not planned:
        raise ValidationError({"file": _("The file has no figures: its metric columns are empty.")})
    taken_at = timezone.now()
    with transaction.atomic():
        return [
            services.figure_create(
                actor=actor,
                partnership=partnership,
                definition=definition,
                period_start=start,
                period_end=end,
                value=value,
                source=Figure.Source.DASHBOARD,
                source_ref=f"dashboard:{slug}",
                taken_at=taken_at,
            )
            for definition, start, end, value, slug in planned
        ]
