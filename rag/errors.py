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
    """The LLM server failed (timeout, 429, 5xx, unparseable output). `prompt_tokens` is what
    the server reported reading when it did answer (unparseable output), else 0."""

    def __init__(self, message: str, retryable: bool = False, prompt_tokens: int = 0):
        super().__init__(message)
        self.retryable = retryable
        self.prompt_tokens = prompt_tokens


class Overloaded(NewsdeskError):
    """Too much work queued; the caller should retry after `retry_after_s` seconds."""

    def __init__(self, message: str, retry_after_s: int = 2):
        super().__init__(message)
        self.retry_after_s = retry_after_s
