"""Legislative files: the public pages and the staff pages that edit their stages."""

from django.urls import path

from initiatives.views import legislation

urlpatterns = [
    path("legislation/", legislation.LegislationListView.as_view(), name="legislation_list"),
    path("legislation/<str:slug>/", legislation.LegislationDetailView.as_view(), name="legislation_detail"),
    path("staff/legislation/", legislation.StaffLegislationView.as_view(), name="staff_legislation"),
    path("staff/legislation/<int:pk>/stages/add/", legislation.StageFormView.as_view(), name="staff_stage_add"),
    path("staff/legislation/stages/<int:stage_pk>/", legislation.StageFormView.as_view(), name="staff_stage_edit"),
]
