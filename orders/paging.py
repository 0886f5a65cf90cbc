"""Pages of a list whose rows and count are read in one query."""

from django.core.paginator import Paginator
from django.db.models import Count, Window

#: The annotation that carries the whole list's count on every row of a page.
LISTED_TOTAL = "listed_total"


class CountingPaginator(Paginator):
    """Read a page's rows with the list's count beside them (``COUNT(*) OVER ()``).

    Django's paginator counts the list in one query, then reads the page in another; here a
    page that has rows brings the count along. An empty first page means an empty list; a page
    past the end, or a page number that is not one, is left to Django (a count, then its error).
    """

    def page(self, number):
        if "count" in self.__dict__ or self.orphans:
            return super().page(number)
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            return super().page(number)
        if str(wanted) != str(number).strip() or wanted < 1:
            return super().page(number)
        bottom = (wanted - 1) * self.per_page
        rows = list(
            self.object_list.annotate(**{LISTED_TOTAL: Window(Count("pk"))})[
                bottom : bottom + self.per_page
            ]
        )
        if rows:
            self.count = getattr(rows[0], LISTED_TOTAL)
            return self._get_page(rows, self.validate_number(wanted), self)
        if bottom == 0:
            self.count = 0
        return super().page(number)
