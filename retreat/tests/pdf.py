"""Reading PDFs back in tests: every app's documents are checked by their text."""

import io

from pypdf import PdfReader


def pdf_text(data: bytes) -> str:
    """The text of every page, with runs of whitespace (a name wrapped onto two lines in a narrow cell or
    card, say) read as one space, so that a test finds a value however the layout broke it."""
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)
