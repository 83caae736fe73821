"""OGP's editions of the participation and co-creation standards, one module each; importing
this package registers them, oldest first (the order of the API's standards)."""

from traza.assessment.standards.editions import ogp2017, ogp2021

__all__ = ["ogp2017", "ogp2021"]
