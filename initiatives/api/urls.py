from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from . import legislation, views

router = DefaultRouter()
router.include_format_suffixes = False
router.register("strategies", views.StrategyViewSet, basename="api-strategy")
router.register("initiatives", views.InitiativeViewSet, basename="api-initiative")
router.register("key-actions", views.KeyActionViewSet, basename="api-key-action")
router.register("events", views.EventViewSet, basename="api-event")
router.register("member-states", views.MemberStateViewSet, basename="api-member-state")
router.register("articles", views.ArticleViewSet, basename="api-article")
router.register("transposition-reports", views.TranspositionReportViewSet, basename="api-transposition-report")
router.register("assessments", views.AssessmentViewSet, basename="api-assessment")
router.register("infringement-procedures", views.ProcedureViewSet, basename="api-procedure")
router.register("decisions", views.DecisionViewSet, basename="api-decision")
router.register("legislative-files", legislation.LegislativeFileViewSet, basename="api-legislative-file")

urlpatterns = [
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", views.DocsView.as_view(url_name="initiatives:api-schema"), name="api-docs"),
    path("api/", include(router.urls)),
    re_path(r"^api/(?P<rest>.*)$", views.not_found),
]
