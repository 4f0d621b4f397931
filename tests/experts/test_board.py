"""The Senior Advisory Board (optional): candidates weighed against the playbook's criteria,
their status, and the board's gender balance."""

from django_scopes import scopes_disabled

from experts.models import AdvisorCandidate, AdvisorStatus, Gender
from tests.querycount import assert_flat_queries

from .factories import AdvisorCandidateFactory

BASE = "/r/aurora/experts/board"


def _candidates(region, *rows):
    for gender, status in rows:
        AdvisorCandidateFactory(region=region, gender=gender, status=status)


def test_the_page_says_the_board_is_optional_and_shows_its_gender_balance(cast, secretariat):
    region = cast.home.region
    _candidates(region, (Gender.WOMAN, AdvisorStatus.MEMBER), (Gender.MAN, AdvisorStatus.MEMBER),
                (Gender.WOMAN, AdvisorStatus.MEMBER), (Gender.MAN, AdvisorStatus.CANDIDATE),
                (Gender.NON_BINARY, AdvisorStatus.APPROACHED),
                (Gender.WOMAN, AdvisorStatus.DECLINED))
    page = secretariat.get(f"{BASE}/").content.decode()
    assert "Optional." in page and "No Regional Alliance has set up such a board yet" in page
    members = page[page.index('id="members-heading"'):page.index('id="considered-heading"')]
    considered = page[page.index('id="considered-heading"'):]
    # Members: two women of three (67%), one man (33%).
    assert '<th scope="row">Woman</th><td class="number">2</td><td class="number">67%' in members
    assert '<th scope="row">Man</th><td class="number">1</td><td class="number">33%' in members
    # Still considered (members included, the declined one not): 2 women, 2 men, 1 non-binary.
    assert ('<th scope="row">Woman</th><td class="number">2</td><td class="number">40%'
            in considered)
    assert ('<th scope="row">Non-binary</th><td class="number">1</td>'
            '<td class="number">20%') in considered


def test_the_secretariat_adds_and_edits_a_candidate_against_the_criteria(cast, secretariat):
    response = secretariat.post(f"{BASE}/new/", {
        "name": "Dr. Mei Tanaka", "organization": "Kyoto University", "position": "Dean",
        "gender": "woman", "viable_speaker": "on", "high_influence": "on",
        "status": "candidate"})
    assert response.status_code == 302
    with scopes_disabled():
        candidate = AdvisorCandidate.objects.get()
    assert (candidate.viable_speaker, candidate.high_influence, candidate.low_burden) == (
        True, True, False)
    assert candidate.criteria_met == 2
    secretariat.post(f"{BASE}/{candidate.pk}/", {
        "name": "Dr. Mei Tanaka", "gender": "woman", "viable_speaker": "on",
        "high_influence": "on", "low_burden": "on", "status": "member"})
    with scopes_disabled():
        candidate.refresh_from_db()
    assert (candidate.status, candidate.low_burden) == (AdvisorStatus.MEMBER, True)
    page = secretariat.get(f"{BASE}/{candidate.pk}/").content.decode()
    assert "changed the candidate" in page  # its history


def test_bad_input_is_refused_and_nothing_saved(cast, secretariat):
    page = secretariat.post(f"{BASE}/new/", {"name": "", "gender": "unknown",
                                             "status": "emperor"})
    text = page.content.decode()
    assert page.status_code == 200 and "This field is required." in text
    assert "Select a valid choice." in text
    with scopes_disabled():
        assert not AdvisorCandidate.objects.exists()


def test_a_reviewer_reads_the_board_and_others_do_not(cast, client_for):
    candidate = AdvisorCandidateFactory(region=cast.home.region, name="Ana Souza")
    reviewer = client_for(cast.home.forum_reviewer)
    assert "Ana Souza" in reviewer.get(f"{BASE}/").content.decode()
    assert reviewer.get(f"{BASE}/{candidate.pk}/").status_code == 403
    assert reviewer.post(f"{BASE}/new/", {"name": "x"}).status_code == 403
    for role in ("city_contact", "expert"):
        assert client_for(cast.home.by_role(role)).get(f"{BASE}/").status_code == 403
    foreign = AdvisorCandidateFactory(region=cast.foreign.region)
    assert client_for(cast.home.regional_secretariat).get(
        f"{BASE}/{foreign.pk}/").status_code == 404


def test_the_board_list_does_not_grow_its_queries(cast, secretariat):
    AdvisorCandidateFactory(region=cast.home.region)
    secretariat.get(f"{BASE}/")
    assert_flat_queries(lambda: secretariat.get(f"{BASE}/"),
                        lambda: AdvisorCandidateFactory.create_batch(
                            30, region=cast.home.region, status=AdvisorStatus.MEMBER))


def test_the_candidate_pages_open(cast, secretariat):
    candidate = AdvisorCandidateFactory(region=cast.home.region, name="Ana Souza")
    assert "New candidate" in secretariat.get(f"{BASE}/new/").content.decode()
    assert "Ana Souza" in secretariat.get(f"{BASE}/{candidate.pk}/").content.decode()
