"""The secretariat's day under load: what bin/loadtest runs with Locust.

Each simulated person is signed in already (a session made by `manage.py seed_load`, whose plan
this file reads from LOADTEST_PLAN) and, between pages, thinks for 1-3 s. The server runs the
production settings behind no proxy, so every request says what the TLS proxy in front of it
would: X-Forwarded-Proto: https. Django then treats the request as secure (no redirect to
https, Secure cookies valid), and each person presents its session cookie itself: cookies the
server sets are Secure and a client would never send them back over plain http.
"""

import itertools
import json
import os
import random
import re
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path

import gevent
from locust import HttpUser, between, events, task

PLAN = json.loads(Path(os.environ.get("LOADTEST_PLAN", "var/loadtest/plan.json")).read_text())
WARM_UP = float(os.environ.get("LOADTEST_WARM_UP", "15"))  # seconds after the ramp-up
STATIC = re.compile(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"')
_next_session = {role: itertools.count() for role in PLAN["sessions"]}


@events.init.add_listener
def measure_after_warm_up(environment, **kwargs):
    """Once everyone is in and has had a few pages (the workers have rendered every template
    and filled their caches), the statistics start over: what follows is what counts."""
    environment.events.spawning_complete.add_listener(
        lambda **_: gevent.spawn_later(WARM_UP, environment.stats.reset_all))


class Person(HttpUser):
    abstract = True
    role = ""
    wait_time = between(1, 3)

    def on_start(self):
        sessions = PLAN["sessions"][self.role]
        self.seat = next(_next_session[self.role]) % len(sessions)
        session = sessions[self.seat]
        self.client.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
        self.client.headers.update({"Cookie": f"sessionid={session}",
                                    "X-Forwarded-Proto": "https"})
        self.load_assets(self.first_page)

    def load_assets(self, page: str):
        """A first visit: the page, then its styles and scripts (cached by the browser after)."""
        html = self.visit(page).text
        for asset in sorted(set(STATIC.findall(html))):
            self.visit_url(asset, "static")

    def visit(self, page: str, **headers):
        return self.visit_url(PLAN["pages"][page], page, **headers)

    def visit_url(self, url: str, name: str, **headers):
        """A page must answer 200 itself: a redirect (to sign in, say) is a failure."""
        with self.client.get(url, name=name, headers=headers, allow_redirects=False,
                             catch_response=True) as response:
            if response.status_code != 200:
                why = response.headers.get("Location") or response.error or response.reason
                response.failure(f"{response.status_code} {why}")
            return response

    def open_one(self, kind: str):
        self.visit_url(random.choice(PLAN[kind]), kind.removesuffix("s"))


class RegionalSecretariat(Person):
    role = "regional_secretariat"
    first_page = "dashboard"
    weight = 30

    @task(3)
    def dashboard(self):
        self.visit("dashboard")

    @task(3)
    def city_table(self):
        self.visit("city table")

    @task(3)
    def filtered_table(self):
        self.visit_url(random.choice(PLAN["table searches"]), "city table filtered")

    @task(2)
    def board(self):
        self.visit("board")

    @task(5)
    def city_page(self):
        self.open_one("city pages")

    @task(2)
    def letters(self):
        self.visit("letters")

    @task(2)
    def letter_page(self):
        self.open_one("letter pages")

    @task(1)
    def approvals(self):
        self.visit("approvals")

    @task(2)
    def campaign_progress(self):
        self.visit("campaign progress")

    @task(1)
    def assessment_review(self):
        self.open_one("review pages")

    @task(1)
    def benchmark(self):
        self.visit("benchmark")

    @task(2)
    def experts(self):
        self.visit("experts")

    @task(2)
    def expert_page(self):
        self.open_one("expert pages")

    @task(1)
    def stakeholders_and_groups(self):
        self.visit(random.choice(["stakeholders", "working groups"]))

    @task(2)
    def events(self):
        self.visit(random.choice(["events", "meeting series"]))

    @task(2)
    def event_page(self):
        self.open_one("event pages")

    @task(2)
    def dialogues(self):
        self.visit(random.choice(["dialogue coverage", "dialogue coverage", "dialogues"]))

    @task(1)
    def workplans(self):
        self.visit(random.choice(["workplans", "support activities"]))

    @task(1)
    def workplan_page(self):
        self.open_one("workplan pages")

    @task(1)
    def api_lists(self):
        """A script of the secretariat's, with its own API token and no session."""
        token = {"Authorization": f"Token {random.choice(PLAN['api_tokens'])}", "Cookie": None}
        self.visit(random.choice(["api cities", "api letters"]), **token)


class ForumReviewer(Person):
    role = "forum_reviewer"
    first_page = "approvals"
    weight = 10

    @task(4)
    def approvals(self):
        self.visit("approvals")

    @task(4)
    def clearance(self):
        self.open_one("clearance pages")

    @task(2)
    def city_page(self):
        self.open_one("city pages")

    @task(1)
    def city_table(self):
        self.visit("city table")

    @task(1)
    def letters(self):
        self.visit("letters")

    @task(1)
    def benchmark(self):
        self.visit("benchmark")

    @task(1)
    def expert_page(self):
        self.open_one("expert pages")

    @task(1)
    def event_page(self):
        """The agendas the Forum checks."""
        self.open_one("event pages")


class GlobalSecretariat(Person):
    role = "global_secretariat"
    first_page = "global dashboard"
    weight = 6

    @task(2)
    def dashboard(self):
        self.visit("global dashboard")

    @task(3)
    def approvals(self):
        self.visit("global approvals")

    @task(3)
    def legal_approval(self):
        self.open_one("legal pages")

    @task(1)
    def region(self):
        self.visit("dashboard")

    @task(1)
    def benchmark(self):
        self.visit("global benchmark")

    @task(1)
    def questionnaire(self):
        self.visit("questionnaire builder")


class CityContact(Person):
    role = "city_contact"
    first_page = "dashboard"
    weight = 4

    @task(3)
    def dashboard(self):
        self.visit("dashboard")

    @task(4)
    def own_assessment(self):
        """Their city's assessment, which they answer between other work."""
        own = PLAN["own assessments"]
        self.visit_url(own[self.seat % len(own)], "assessment page")

    @task(1)
    def roadmap(self):
        self.visit("roadmap")

    @task(2)
    def materials(self):
        self.visit("materials")

    @task(1)
    def notifications(self):
        self.visit("notifications")

    @task(1)
    def directory(self):
        self.visit("directory")

    @task(1)
    def my_events(self):
        self.visit("my events")

    @task(1)
    def own_workplans(self):
        self.visit("own workplans")


class Expert(Person):
    role = "expert"
    first_page = "expert home"
    weight = 3

    @task(3)
    def home(self):
        """Their Terms of Reference, groups and upcoming sessions."""
        self.visit("expert home")

    @task(2)
    def directory(self):
        self.visit("directory")

    @task(1)
    def roadmap(self):
        self.visit("roadmap")

    @task(1)
    def my_events_and_workplans(self):
        self.visit(random.choice(["my events", "own workplans"]))
