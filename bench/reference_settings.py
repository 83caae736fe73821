"""Settings of the benchmark's reference server (bench/pages.py): Traza's settings and
middleware, with one view that answers every address with the bytes the real page sent,
held in memory. The page cache is left out: it is what is measured, not the ceiling."""

from traza.settings import *  # noqa: F403

MIDDLEWARE = [m for m in MIDDLEWARE if m != "traza.ops.pagecache.PublicPageCacheMiddleware"]  # noqa: F405
ROOT_URLCONF = "reference_urls"
