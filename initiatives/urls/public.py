from django.urls import path

from initiatives.views import public

urlpatterns = [
    path("status-colours.css", public.status_colours_css, name="status_colours_css"),
    path("", public.OverviewView.as_view(), name="overview"),
    path("initiatives/<int:number>/", public.InitiativeDetailView.as_view(), name="initiative_detail"),
]
