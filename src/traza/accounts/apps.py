from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "traza.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from traza.accounts import (
            middleware,  # noqa: F401 (starts a session's idle clock)
            privacy,
        )
        from traza.accounts.personal_data import KINDS
        from traza.accounts.roles import ensure_roles

        privacy.register(*KINDS)  # accounts, follows by e-mail, the outbox

        # after every app's permissions exist: run once the last app has migrated
        post_migrate.connect(ensure_roles, dispatch_uid="traza-roles")
