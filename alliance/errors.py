"""Domain errors: a message a person can read. Views show it; the API answers 400 with it."""


class DomainError(Exception):
    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidTransition(DomainError):
    """A state change that the current state does not allow."""


class InvalidInvitation(DomainError):
    """An invitation link that is expired, used, revoked or for someone else."""
