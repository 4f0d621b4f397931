from django.core.paginator import Paginator

PER_PAGE = 50


def paginate(request, rows, per_page: int = PER_PAGE):
    """One page of `rows` for the `?page=` in the request (a bad number gives the last page)."""
    return Paginator(rows, per_page).get_page(request.GET.get("page"))
