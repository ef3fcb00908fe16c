"""All URLs of the app, one module per audience. The namespace is "initiatives"."""

from .api import urlpatterns as api_urls
from .as_recorded import urlpatterns as as_recorded_urls
from .deadlines import urlpatterns as deadline_urls
from .freshness import urlpatterns as freshness_urls
from .health import urlpatterns as health_urls
from .imports import urlpatterns as import_urls
from .legislation import urlpatterns as legislation_urls
from .liaison import urlpatterns as liaison_urls
from .open_data import urlpatterns as open_data_urls
from .public import urlpatterns as public_urls
from .reader import urlpatterns as reader_urls
from .staff import urlpatterns as staff_urls

app_name = "initiatives"
# The upload pages come before the staff and liaison workspaces, whose patterns could otherwise shadow them.
urlpatterns = (public_urls + import_urls + deadline_urls + as_recorded_urls + staff_urls + liaison_urls + health_urls
               + api_urls + open_data_urls)
urlpatterns += freshness_urls  # /staff/needs-checking/: no other pattern shadows it
urlpatterns += reader_urls  # /search/ and /accounts/home/: no other pattern shadows them
urlpatterns += legislation_urls  # /legislation/ and /staff/legislation/: no other pattern shadows them
