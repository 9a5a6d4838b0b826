app_name = "twofactor"

urlpatterns = []
