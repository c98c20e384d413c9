"""The small error tree every layer speaks; the API and CLI translate it once."""


class NewsdeskError(Exception):
    """Base of every error Newsdesk raises on purpose."""


class NotFound(NewsdeskError):
    """A requested article (or other resource) does not exist."""


class BadInput(NewsdeskError):
    """The caller sent something we cannot use; `field` names the culprit."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class ConfigError(NewsdeskError):
    """The configuration cannot work, e.g. a store built with another embedding model."""


class UpstreamError(NewsdeskError):
    """The LLM server failed (timeout, 429, 5xx, unparseable output)."""
