"""The upload pages: /staff/import/ (Commission staff) and /liaison/import/ (a liaison's own Member State)."""

from django.urls import path

from initiatives.views import imports

urlpatterns = [
    path("staff/import/", imports.StaffImportView.as_view(), name="staff_import"),
    path("staff/import/current/<slug:kind>/", imports.staff_export, name="staff_import_export"),
    path("liaison/import/", imports.LiaisonImportView.as_view(), name="liaison_import"),
    path("liaison/import/current/", imports.liaison_export, name="liaison_import_export"),
]
