"""The API's one error shape: {"errors": [{"field": ..., "message": ...}]} with a status code."""

from django.http import JsonResponse

#: The field named when a problem concerns the request as a whole.
NON_FIELD = None


class ApiError(Exception):
    """A request the API refuses; ``errors`` are (field, message) pairs, or dicts with a ``fix``."""

    def __init__(self, status: int, errors):
        self.status = status
        self.errors = [
            error if isinstance(error, dict) else {"field": error[0], "message": error[1]}
            for error in errors
        ]
        super().__init__(f"{status}: {self.errors}")


def error_response(status: int, errors, *, headers=None) -> JsonResponse:
    error = ApiError(status, errors)
    return JsonResponse({"errors": error.errors}, status=status, headers=headers)


class FieldErrors:
    """Collect every problem of one request, so the integrator sees them all at once."""

    def __init__(self):
        self.errors: list[tuple[str | None, str]] = []

    def add(self, field, message):
        self.errors.append((field, message))

    def __bool__(self):
        return bool(self.errors)

    def raise_if_any(self, status=400):
        if self.errors:
            raise ApiError(status, self.errors)
