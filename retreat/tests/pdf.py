"""Reading PDFs back in tests: every app's documents are checked by their text."""

import io

from pypdf import PdfReader

from retreat import services


def pdf_text(data: bytes) -> str:
    """The text of every page, with runs of whitespace (a name wrapped onto two lines in a narrow cell or
    card, say) read as one space, so that a test finds a value however the layout broke it."""
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def document_made(program, user, kind: str, capture, **params):
    """The document job of ``kind`` asked for by ``user``, made through the pipeline as a worker would (inside
    ``django_capture_on_commit_callbacks``, given as ``capture``) and read back from the database."""
    with capture(execute=True):
        job = services.document_job_request(program=program, kind=kind, user=user, params=params)
    job.refresh_from_db()
    return job
