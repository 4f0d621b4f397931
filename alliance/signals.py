from django.dispatch import Signal

# Sent inside the accepting transaction with `invitation` and `user`; apps that invited
# someone for a purpose (a city's contact, an expert) link the new account to it.
invitation_accepted = Signal()
