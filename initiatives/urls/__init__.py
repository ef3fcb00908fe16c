"""All URLs of the app, one module per audience. The namespace is "initiatives"."""

from .api import urlpatterns as api_urls
from .health import urlpatterns as health_urls
from .liaison import urlpatterns as liaison_urls
from .public import urlpatterns as public_urls
from .staff import urlpatterns as staff_urls

app_name = "initiatives"
urlpatterns = public_urls + staff_urls + liaison_urls + health_urls + api_urls
