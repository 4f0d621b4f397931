from django.core.management.base import BaseCommand

from alliance import demo
from alliance.signals import optimize_sqlite


class Command(BaseCommand):
    help = "Create (or refresh) the demo regions, cities and one login per role. Idempotent."

    def handle(self, *args, **options):
        logins = demo.seed()
        optimize_sqlite(analyze=True)  # now that the tables have rows to count
        self.stdout.write(self.style.SUCCESS("Demo data ready. Logins (password: "
                                             f"{demo.DEMO_PASSWORD}):"))
        for email, role in logins:
            self.stdout.write(f"  {role:<22} {email}")
