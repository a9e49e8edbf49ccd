"""The one error a service raises when a rule refuses a change; pages and the API turn it into words and a 4xx."""


class ServiceError(Exception):
    """A rule refused the change; the message is safe to show to the user."""

    def __init__(self, message: str, *, code: str = "invalid", field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field
