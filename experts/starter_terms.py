"""The starter Terms of Reference: the standard text experts accept, modelled on a working
group's terms of reference (purpose, membership, confidentiality, conduct, term and
withdrawal), where a first version starts; and the demo's published global version 3.1."""

import datetime

from django.db import transaction
from django.utils import timezone

from .models import TermsVersion
from .services.terms import hash_of, sanitize

TITLE = "Expert Terms of Reference"
VERSION = "3.1"
EFFECTIVE_ON = datetime.date(2026, 1, 1)

DEFAULT_TEXT = """
<h2>1. Purpose</h2>
<p>The Alliance brings together cities, experts and partners to help cities adopt the model
policies of the Policy Roadmap. Experts advise the Alliance and its member cities in working
groups, in the regular meetings of the Regional Alliance and, when invited, at Forum events.
These Terms of Reference set out what the Alliance and each expert can expect of each other.</p>

<h2>2. Membership</h2>
<ul>
<li>Experts are invited by the Regional Secretariat after an interview and vetting. Membership
is personal: an expert cannot send a substitute without the Secretariat's agreement.</li>
<li>Experts serve in their own capacity, not as representatives of their employer or clients,
even when their organization is named beside them.</li>
<li>Each expert joins one or more working groups. A working group meets once or twice a year,
with work between meetings agreed by its members and its lead.</li>
<li>Experts declare, when invited and whenever they change, the interests that could conflict
with their advice (boards, clients, shareholdings, contracts with member cities). The
Secretariat may ask an expert to step aside from a discussion where a conflict exists.</li>
<li>Membership is unpaid. Travel to meetings the Secretariat asks an expert to attend is
reimbursed under the Alliance's travel rules when agreed in advance.</li>
</ul>

<h2>3. Confidentiality</h2>
<ul>
<li>Information shared in working groups, by member cities or by the Secretariat that is not
public is confidential. Experts use it only for the work of the Alliance and do not pass it on,
during their membership or after it.</li>
<li>City assessments, draft workplans and draft policies are shared with experts to improve
them. They are not quoted, published or used to sell services without the written consent of
the city concerned and of the Secretariat.</li>
<li>Discussions in working groups follow the Chatham House Rule: what is said may be used, but
not who said it.</li>
<li>Experts return or delete confidential material when they leave the Alliance or when the
Secretariat asks.</li>
</ul>

<h2>4. Conduct</h2>
<ul>
<li>Experts give independent, evidence-based advice in the public interest and say where
their advice rests on their own experience rather than on evidence.</li>
<li>Experts do not use their membership to promote their own products, services or
organization, nor to seek contracts from member cities.</li>
<li>Experts treat city officials, fellow experts and staff with respect, and welcome views
from every sector and region.</li>
<li>Experts speak for the Alliance only when the Secretariat has asked them to.</li>
</ul>

<h2>5. Term and withdrawal</h2>
<ul>
<li>Membership runs for two years from acceptance of these Terms and may be renewed by
agreement.</li>
<li>An expert may withdraw at any time by telling the Regional Secretariat in writing.</li>
<li>The Secretariat may end a membership that breaches these Terms, after hearing the
expert.</li>
<li>The confidentiality duties in section 3 continue after membership ends.</li>
</ul>

<h2>6. Changes to these Terms</h2>
<p>The Secretariat may publish a new version of these Terms. Each expert is asked to read and
accept it; until they do, they are reminded every week.</p>
"""


def default_text() -> str:
    return sanitize(DEFAULT_TEXT)


def seed_global_terms(region, sender) -> None:
    """The demo's published global version 3.1 (the same for every region; made once)."""
    with transaction.atomic():
        if TermsVersion.objects.filter(region__isnull=True, version=VERSION).exists():
            return
        body = default_text()
        TermsVersion.objects.create(
            region=None, title=TITLE, version=VERSION, effective_on=EFFECTIVE_ON, body=body,
            content_hash=hash_of(body), published_at=timezone.now())
