from django.core.paginator import Paginator

# A page of a list: what fits a screen or two. Every row costs rendering time, so a longer
# page is a choice the list offers (the city table's 25/50/100), not the default.
PER_PAGE = 25


def paginate(request, rows, per_page: int = PER_PAGE):
    """One page of `rows` for the `?page=` in the request (a bad number gives the last page)."""
    return Paginator(rows, per_page).get_page(request.GET.get("page"))
