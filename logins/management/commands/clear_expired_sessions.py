from django.core.management.base import BaseCommand

from logins.services import user_sessions_clear_expired


class Command(BaseCommand):
    help = ("Django's clearsessions, and the records of the sessions it clears (or that are gone already) "
            "marked expired.")

    def handle(self, *args, **options):
        ended = user_sessions_clear_expired()
        self.stdout.write(f"{ended} expired session record(s) marked ended; expired sessions cleared from the store.")
