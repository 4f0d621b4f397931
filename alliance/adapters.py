from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up is by invitation only: the open sign-up form is closed."""

    def is_open_for_signup(self, request):
        return False
