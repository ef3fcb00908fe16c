"""The open-data download (/open-data/) and the Atom feeds of published changes (/feed/)."""

from django.urls import path

from initiatives import feeds
from initiatives.open_data import ZIP_NAME
from initiatives.views import open_data

urlpatterns = [
    path("open-data/", open_data.OpenDataView.as_view(), name="open_data"),
    path(f"open-data/{ZIP_NAME}", open_data.download_zip, name="open_data_zip"),
    path("open-data/datapackage.json", open_data.datapackage, name="open_data_datapackage"),
    path("open-data/<slug:name>.csv", open_data.table_csv, name="open_data_table"),
    path("feed/", feeds.ChangesFeed(), name="feed"),
    path("feed/member-states/<str:code>/", feeds.MemberStateFeed(), name="feed_member_state"),
    path("feed/initiatives/<int:number>/", feeds.InitiativeFeed(), name="feed_initiative"),
]
