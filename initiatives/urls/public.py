from django.urls import path

from initiatives.views import public

urlpatterns = [
    path("status-colours.css", public.status_colours_css, name="status_colours_css"),
    path("", public.OverviewView.as_view(), name="overview"),
    path("initiatives/", public.InitiativeListView.as_view(), name="initiative_list"),
    path("initiatives/<int:number>/", public.InitiativeDetailView.as_view(), name="initiative_detail"),
    path("initiatives/<int:number>/actions/<str:action>/events/", public.KeyActionEventsView.as_view(),
         name="key_action_events"),
    path("timeline/", public.TimelineView.as_view(), name="timeline"),
    path("member-states/", public.MemberStateListView.as_view(), name="member_state_list"),
    path("member-states/<str:code>/", public.member_state_detail, name="member_state_detail"),
    path("directive/", public.DirectiveMatrixView.as_view(), name="directive_matrix"),
    path("infringements/", public.InfringementListView.as_view(), name="infringement_list"),
    path("about/", public.AboutView.as_view(), name="about"),
]
