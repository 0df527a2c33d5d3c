"""The error replies of the Bot API, as raised inside the simulator."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """One `{"ok": false, ...}` reply; handlers raise it, the dispatcher serialises it."""

    def __init__(
        self, code: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: {reason}")


def forbidden(reason: str) -> ApiError:
    return ApiError(403, f"Forbidden: {reason}")


def retry_after(seconds: int) -> ApiError:
    return ApiError(429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds})


def server_error(status: int) -> ApiError:
    reason = {502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}
    return ApiError(status, reason.get(status, "Internal Server Error"))
