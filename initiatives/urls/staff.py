from django.urls import path

from initiatives.views import register, staff

urlpatterns = [
    path("staff/", staff.StaffHomeView.as_view(), name="staff_home"),
    path("staff/key-actions/", staff.KeyActionListView.as_view(), name="staff_key_actions"),
    path("staff/key-actions/<int:pk>/", staff.KeyActionUpdateView.as_view(), name="staff_key_action"),
    path("staff/key-actions/<int:pk>/events/add/", staff.EventFormView.as_view(), name="staff_event_add"),
    path("staff/events/<int:event_pk>/", staff.EventFormView.as_view(), name="staff_event_edit"),
    path("staff/events/<int:event_pk>/delete/", staff.EventDeleteView.as_view(), name="staff_event_delete"),
    path("staff/procedures/", staff.ProcedureListView.as_view(), name="staff_procedures"),
    path("staff/procedures/open/", staff.ProcedureCreateView.as_view(), name="staff_procedure_open"),
    path("staff/procedures/<int:pk>/", staff.DecisionCreateView.as_view(), name="staff_procedure"),
    path("staff/procedures/<int:pk>/close/", staff.ProcedureCloseView.as_view(), name="staff_procedure_close"),
    path("staff/assessments/", staff.AssessmentMemberStatesView.as_view(), name="staff_assessments"),
    path("staff/assessments/<str:code>/", staff.AssessmentArticlesView.as_view(), name="staff_assessment_articles"),
    path("staff/assessments/<str:code>/<int:number>/", staff.AssessmentUpdateView.as_view(),
         name="staff_assessment"),
    path("staff/register-copies/", register.RegisterCopyListView.as_view(), name="staff_register_copies"),
    path("staff/reviews/", staff.ReviewQueueView.as_view(), name="staff_reviews"),
    path("staff/reviews/<int:pk>/", staff.ReviewView.as_view(), name="staff_review"),
    path("staff/history/<slug:kind>/<int:pk>/", staff.HistoryView.as_view(), name="staff_history"),
]
