from django.urls import path

from . import views

app_name = "quality"

urlpatterns = [
    path("", views.QualityFiguresView.as_view(), name="figures"),
    path("surveys/", views.SurveyListView.as_view(), name="survey_list"),
    path("surveys/<int:pk>/", views.SurveyDetailView.as_view(), name="survey_detail"),
    path("surveys/<int:pk>/answer/", views.SurveyAnswerView.as_view(), name="survey_answer"),
    path("followups/", views.FollowUpListView.as_view(), name="followup_list"),
    path("followups/<int:pk>/", views.FollowUpDetailView.as_view(), name="followup_detail"),
    path("followups/<int:pk>/<str:action>/", views.FollowUpActView.as_view(), name="followup_act"),
]
