from django.core.paginator import Paginator

# A page of a list: what fits a screen or two. Every row costs rendering time, so a longer
# page is a choice the list offers (the city table's 25/50/100), not the default.
PER_PAGE = 25


def paginate(request, rows, per_page: int = PER_PAGE):
    """One page of `rows` for the `?page=` in the request (a bad number gives the last page)."""
    return Paginator(rows, per_page).get_page(request.GET.get("page"))


class CountedPaginator(Paginator):
    """Pages of rows whose count was read already (with a list's totals, or annotated on the
    row the list belongs to), so paging adds no COUNT query."""

    def __init__(self, rows, per_page: int, *, known_count: int):
        super().__init__(rows, per_page)
        self.known_count = known_count

    @property
    def count(self) -> int:
        return self.known_count
