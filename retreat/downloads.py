"""Files handed to the browser as downloads."""

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(data: bytes, filename: str, content_type: str = XLSX) -> HttpResponse:
    """``data`` as a download named ``filename`` (a spreadsheet unless ``content_type`` says otherwise)."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
