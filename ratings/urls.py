from django.urls import path

from .views import cycles, mine, organizations, public, workflow

app_name = "ratings"

urlpatterns = [
    path("", workflow.RatingHomeView.as_view(), name="home"),
    path("all/", workflow.RatingListView.as_view(), name="list"),
    path("queue/<str:status>/", workflow.RatingQueueView.as_view(), name="queue"),
    path("publish/", workflow.PublishDueView.as_view(), name="publish_due"),
    path("<int:pk>/", workflow.RatingDetailView.as_view(), name="detail"),
    path("<int:pk>/score/", workflow.RatingScoreView.as_view(), name="score"),
    path("<int:pk>/evidence/", workflow.EvidenceUploadView.as_view(), name="evidence_upload"),
    path("<int:pk>/<str:action>/", workflow.RatingActionView.as_view(), name="action"),
    path("evidence/<int:pk>/", workflow.EvidenceDownloadView.as_view(), name="evidence_download"),
    path("objections/<int:pk>/resolve/", workflow.ObjectionResolveView.as_view(), name="objection_resolve"),
    path("objections/<int:pk>/unmask/", workflow.ObjectionUnmaskView.as_view(), name="objection_unmask"),
    path("mine/", mine.MyRatingView.as_view(), name="mine"),
    path("mine/start/", mine.MyRatingStartView.as_view(), name="mine_start"),
    path("cycles/", cycles.CycleListView.as_view(), name="cycle_list"),
    path("cycles/new/", cycles.CycleCreateView.as_view(), name="cycle_create"),
    path("cycles/<int:pk>/", cycles.CycleDetailView.as_view(), name="cycle_detail"),
    path("cycles/<int:pk>/open/", cycles.CycleOpenView.as_view(), name="cycle_open"),
    path("rubrics/", cycles.RubricListView.as_view(), name="rubric_list"),
    path("rubrics/<int:pk>/", cycles.RubricDetailView.as_view(), name="rubric_detail"),
    path("rubrics/<int:pk>/<str:action>/", cycles.RubricActionView.as_view(), name="rubric_action"),
    path("organizations/", organizations.OrganizationListView.as_view(), name="organization_list"),
    path("organizations/new/", organizations.OrganizationFormView.as_view(), name="organization_create"),
    path("organizations/<int:pk>/", organizations.OrganizationDetailView.as_view(), name="organization_detail"),
    path("organizations/<int:pk>/edit/", organizations.OrganizationFormView.as_view(), name="organization_update"),
    path("organizations/<int:pk>/coverage/", organizations.CoverageStartView.as_view(), name="coverage_start"),
    path("coverage/", organizations.CoverageByRegionView.as_view(), name="coverage"),
    path("coverage/<int:pk>/end/", organizations.CoverageEndView.as_view(), name="coverage_end"),
    path("instructors/new/", organizations.InstructorAssignView.as_view(), name="instructor_assign"),
    path("instructors/<int:pk>/end/", organizations.InstructorEndView.as_view(), name="instructor_end"),
]

# The public notice: no login, its own address and namespace (`public:notice`).
public_urlpatterns = [
    path("", public.PublicNoticeListView.as_view(), name="notice"),
    path("<int:pk>/", public.PublicNoticeDetailView.as_view(), name="notice_detail"),
]
