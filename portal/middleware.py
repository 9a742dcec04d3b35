from . import pages


class PersonalPageMiddleware:
    """Answers a personal link with its page as last sent while nothing the page shows has changed: one
    prepared query (the link) and one round trip to the cache, without the rest of the middleware and the
    view, which made the page and its headers the first time (see ``portal.pages``).

    A page to make is made with the out-of-date pages of its block, which are kept here too, with its
    headers; a page of a block another request is making is waited for. Sits just above the gzip
    middleware, so pages are kept compressed; the security headers above it are added to every answer. An
    unknown or revoked link, and any other address, pass through."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        match = pages.PAGE_PATH.match(request.path_info)
        if match is None or request.method != "GET":
            return self.get_response(request)
        language, gzip = pages.variant(request)
        kept = pages.kept_page(match["token"], language, gzip=gzip)
        if kept is None:  # the view answers 404
            return self.get_response(request)
        if kept.response is not None:
            return kept.response
        batch = pages.claim_batch(kept, language, gzip)
        if batch is None:
            waited = pages.wait_for(kept, match["token"], language, gzip)
            if waited is not None:
                return waited
            batch = pages.alone(kept)
        setattr(request, pages.BATCHING, batch)
        try:
            response = self.get_response(request)
            pages.keep(kept, response, batch)
        finally:
            pages.release(batch)
        return response
