"""What several sections of the co-creation models share."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicAuthor(models.Model):
    """Who wrote something, and whether they agreed to have their name published. The e-mail
    is only for answering them; it is never published."""

    author_name = models.CharField(_("author's name"), max_length=200, blank=True)
    author_email = models.EmailField(_("author's e-mail"), blank=True)
    author_organization = models.CharField(_("author's organisation"), max_length=300, blank=True)
    show_author = models.BooleanField(_("the author agreed to publish their name"), default=False)

    class Meta:
        abstract = True

    @property
    def public_author(self) -> str:
        """What the public sees: the name only with the author's consent."""
        if self.show_author and (self.author_name or self.author_organization):
            return ", ".join(p for p in (self.author_name, self.author_organization) if p)
        return str(_("A participant"))


HIDDEN = "hidden"  # PostStatus.HIDDEN, named before the class
