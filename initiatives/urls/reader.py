"""Pages every reader shares: the search, and where one lands after logging in."""

from django.urls import path

from initiatives.views import account

urlpatterns = [
    path("accounts/home/", account.after_login, name="after_login"),
]
