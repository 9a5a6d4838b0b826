from django.urls import path

from .views import benefits, overview, policy, programme, public, talents

app_name = "talent"

urlpatterns = [
    path("", overview.OverviewView.as_view(), name="overview"),
    path("policy/", policy.PolicyItemListView.as_view(), name="policy_item_list"),
    path("policy/new/", policy.PolicyItemFormView.as_view(), name="policy_item_create"),
    path("policy/<int:pk>/", policy.PolicyItemDetailView.as_view(), name="policy_item_detail"),
    path("policy/<int:pk>/edit/", policy.PolicyItemFormView.as_view(), name="policy_item_update"),
    path("talents/", talents.TalentListView.as_view(), name="talent_list"),
    path("talents/new/", talents.TalentFormView.as_view(), name="talent_create"),
    path("talents/<int:pk>/", talents.TalentDetailView.as_view(), name="talent_detail"),
    path("talents/<int:pk>/edit/", talents.TalentFormView.as_view(), name="talent_update"),
    path("talents/<int:pk>/apply/", benefits.BenefitApplicationCreateView.as_view(), name="benefit_create"),
    path("benefits/", benefits.BenefitApplicationListView.as_view(), name="benefit_list"),
    path("benefits/<int:pk>/", benefits.BenefitApplicationDetailView.as_view(), name="benefit_detail"),
    path("benefits/<int:pk>/<str:action>/", benefits.BenefitApplicationActionView.as_view(), name="benefit_action"),
    path("bases/", talents.BaseListView.as_view(), name="base_list"),
    path("bases/new/", talents.BaseFormView.as_view(), name="base_create"),
    path("bases/<int:pk>/", talents.BaseDetailView.as_view(), name="base_detail"),
    path("bases/<int:pk>/edit/", talents.BaseFormView.as_view(), name="base_update"),
    path("projects/", programme.ProjectListView.as_view(), name="project_list"),
    path("projects/new/", programme.ProjectFormView.as_view(), name="project_create"),
    path("projects/<int:pk>/", programme.ProjectDetailView.as_view(), name="project_detail"),
    path("projects/<int:pk>/edit/", programme.ProjectFormView.as_view(), name="project_update"),
    path("ip-actions/", programme.IPActionListView.as_view(), name="ip_action_list"),
    path("ip-actions/new/", programme.IPActionFormView.as_view(), name="ip_action_create"),
    path("ip-actions/<int:pk>/", programme.IPActionDetailView.as_view(), name="ip_action_detail"),
    path("ip-actions/<int:pk>/edit/", programme.IPActionFormView.as_view(), name="ip_action_update"),
    path("training/", programme.TrainingListView.as_view(), name="training_list"),
    path("training/new/", programme.TrainingFormView.as_view(), name="training_create"),
    path("training/<int:pk>/", programme.TrainingDetailView.as_view(), name="training_detail"),
    path("training/<int:pk>/edit/", programme.TrainingFormView.as_view(), name="training_update"),
    path("platform/", programme.RegistrationListView.as_view(), name="registration_list"),
    path("platform/new/", programme.RegistrationCreateView.as_view(), name="registration_create"),
    # Public, no login: a talent follows an application by its reference and ID-number tail.
    path("progress/", public.ProgressView.as_view(), name="progress"),
]
