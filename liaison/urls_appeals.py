"""Pages of the appeals part (names prefixed with appeal_/department_, unique across the liaison app)."""

from django.urls import path

from .views import appeals

urlpatterns = [
    path("appeals/", appeals.AppealListView.as_view(), name="appeal_list"),
    path("appeals/new/", appeals.AppealCreateView.as_view(), name="appeal_create"),
    path("appeals/queue/", appeals.AppealQueueView.as_view(), name="appeal_queue"),
    path("appeals/<int:pk>/", appeals.AppealDetailView.as_view(), name="appeal_detail"),
    path("appeals/<int:pk>/rate/", appeals.AppealRateView.as_view(), name="appeal_rate"),
    path("appeals/<int:pk>/attachments/", appeals.AppealAttachView.as_view(), name="appeal_attach"),
    path("appeals/attachments/<int:pk>/", appeals.AppealAttachmentView.as_view(), name="appeal_attachment"),
    path("appeals/<int:pk>/lead/", appeals.AppealLeadView.as_view(), name="appeal_lead"),
    path("appeals/<int:pk>/<slug:action>/", appeals.AppealActionView.as_view(), name="appeal_action"),
    path("departments/", appeals.DepartmentListView.as_view(), name="department_list"),
    path("departments/new/", appeals.DepartmentCreateView.as_view(), name="department_create"),
    path("departments/<int:pk>/toggle/", appeals.DepartmentToggleView.as_view(), name="department_toggle"),
    path("departments/<int:pk>/members/", appeals.DepartmentMembersView.as_view(), name="department_members"),
]
