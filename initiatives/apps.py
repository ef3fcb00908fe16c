from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = _("Strategy tracker")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from initiatives import caching, checks  # noqa: F401 - checks registers the production checks

        caching.connect_signals()  # every change to the data makes the cached public pages stale

        from django.db.models.signals import post_migrate

        from initiatives.roles import sync_groups

        post_migrate.connect(sync_groups, sender=self)  # the groups carry this version's permissions
