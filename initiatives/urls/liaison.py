from django.urls import path

from initiatives.views import liaison

urlpatterns = [
    path("liaison/", liaison.LiaisonHomeView.as_view(), name="liaison_home"),
    path("liaison/<str:code>/", liaison.LiaisonMemberStateView.as_view(), name="liaison_member_state"),
    path("liaison/<str:code>/articles/", liaison.LiaisonTableView.as_view(), name="liaison_articles"),
    path("liaison/<str:code>/articles/<int:number>/", liaison.LiaisonArticleView.as_view(), name="liaison_article"),
    path("liaison/<str:code>/articles/<int:number>/history/", liaison.LiaisonHistoryView.as_view(),
         name="liaison_history"),
]
