"""Outreach pages (法律服务、政策通知、关心关爱、青蓝交接), included under the "liaison" namespace."""

from django.urls import path

from .views import outreach_care as care
from .views import outreach_legal as legal
from .views import outreach_notices as notices

urlpatterns = [
    path("legal/", legal.LegalOverviewView.as_view(), name="legal_overview"),
    path("legal/lawyers/", legal.LawyerListView.as_view(), name="lawyer_list"),
    path("legal/lawyers/new/", legal.LawyerFormView.as_view(), name="lawyer_create"),
    path("legal/lawyers/<int:pk>/", legal.LawyerDetailView.as_view(), name="lawyer_detail"),
    path("legal/lawyers/<int:pk>/edit/", legal.LawyerFormView.as_view(), name="lawyer_update"),
    path("legal/lawyers/<int:pk>/unmask/", legal.LawyerUnmaskView.as_view(), name="lawyer_unmask"),
    path("legal/consultations/", legal.ConsultationListView.as_view(), name="consultation_list"),
    path("legal/consultations/new/", legal.ConsultationCreateView.as_view(), name="consultation_create"),
    path("legal/consultations/<int:pk>/", legal.ConsultationDetailView.as_view(), name="consultation_detail"),
    path("legal/consultations/<int:pk>/answer/", legal.ConsultationAnswerView.as_view(), name="consultation_answer"),
    path("notices/", notices.NoticeListView.as_view(), name="notice_list"),
    path("notices/new/", notices.NoticeFormView.as_view(), name="notice_create"),
    path("notices/<int:pk>/", notices.NoticeDetailView.as_view(), name="notice_detail"),
    path("notices/<int:pk>/edit/", notices.NoticeFormView.as_view(), name="notice_update"),
    path("notices/<int:pk>/publish/", notices.NoticePublishView.as_view(), name="notice_publish"),
    path("notices/<int:pk>/withdraw/", notices.NoticeWithdrawView.as_view(), name="notice_withdraw"),
    path("care/", care.CareListView.as_view(), name="care_list"),
    path("care/new/", care.CareCreateView.as_view(), name="care_create"),
    path("care/<int:pk>/", care.CareDetailView.as_view(), name="care_detail"),
    path("mentoring/", care.MentoringListView.as_view(), name="mentoring_list"),
    path("mentoring/new/", care.MentoringCreateView.as_view(), name="mentoring_create"),
    path("mentoring/<int:pk>/", care.MentoringDetailView.as_view(), name="mentoring_detail"),
    path("mentoring/<int:pk>/end/", care.MentoringEndView.as_view(), name="mentoring_end"),
    path("mentoring/<int:pk>/sessions/", care.MentoringSessionAddView.as_view(), name="mentoring_session_add"),
]
