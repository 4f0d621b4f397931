"""Every list page issues the same number of queries with few rows and with many."""

import pytest
from django.contrib.contenttypes.models import ContentType

from alliance.models import Role
from tests.factories import (
    ApprovalRequestFactory,
    AuditEntryFactory,
    CityFactory,
    InvitationFactory,
    MembershipFactory,
    NotificationFactory,
    RegionFactory,
)
from tests.querycount import assert_flat_queries


def _approvals(cast, n):
    for _ in range(n):
        ApprovalRequestFactory(region=cast.home.region, route_role=Role.FORUM_REVIEWER)


def _invitations(cast, n):
    InvitationFactory.create_batch(n, region=cast.home.region,
                                   invited_by=cast.home.regional_secretariat)


PAGES = {
    "region dashboard": ("/r/aurora/", "regional_secretariat",
                         lambda c, n: (_approvals(c, n), _invitations(c, n))),
    "approvals inbox": ("/r/aurora/approvals/", "regional_secretariat", _approvals),
    "reviewer inbox": ("/r/aurora/approvals/", "forum_reviewer", _approvals),
    "global approvals": ("/global/approvals/", "global_secretariat", _approvals),
    "invitations": ("/r/aurora/invitations/", "regional_secretariat", _invitations),
    "global invitations": ("/global/invitations/", "global_secretariat", _invitations),
    "notifications": ("/notifications/", "expert", lambda c, n: NotificationFactory.create_batch(
        n, recipient=c.home.expert, region=c.home.region)),
    "members": ("/r/aurora/members/", "regional_secretariat",
                lambda c, n: MembershipFactory.create_batch(n, region=c.home.region,
                                                            role=Role.EXPERT)),
    "global dashboard": ("/global/", "global_secretariat",
                         lambda c, n: [CityFactory(region=r)
                                       for r in RegionFactory.create_batch(n)]),
}


def _user(cast, role):
    return cast.global_secretariat if role == "global_secretariat" else cast.home.by_role(role)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_list_pages_do_not_grow_their_queries_with_rows(cast, client, page):
    url, role, seed = PAGES[page]
    client.force_login(_user(cast, role))
    seed(cast, 2)

    def fetch():
        assert client.get(url).status_code == 200

    fetch()  # warm the session and content-type caches
    assert_flat_queries(fetch, lambda: seed(cast, 25))


def test_an_approval_page_with_a_long_history_stays_flat(cast, client):
    approval = ApprovalRequestFactory(region=cast.home.region)
    content_type = ContentType.objects.get_for_model(approval)
    client.force_login(cast.home.regional_secretariat)
    url = f"/r/aurora/approvals/{approval.pk}/"

    def add_history():
        AuditEntryFactory.create_batch(20, region=cast.home.region, object_id=approval.pk,
                                       content_type=content_type, actor=cast.home.expert)

    client.get(url)
    assert_flat_queries(lambda: client.get(url), add_history)


def test_the_budget_helper_fails_and_prints_the_sql_when_queries_grow(cast):
    from alliance.models import Notification

    rows = NotificationFactory.create_batch(2, recipient=cast.home.expert)

    def query_per_row():
        for row in rows:
            Notification.objects.filter(pk=row.pk).exists()

    with pytest.raises(AssertionError, match=r"queries grew with rows: 2 -> 5[\s\S]*SELECT"):
        assert_flat_queries(query_per_row, lambda: rows.extend(
            NotificationFactory.create_batch(3, recipient=cast.home.expert)))
