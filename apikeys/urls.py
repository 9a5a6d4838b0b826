app_name = "apikeys"

urlpatterns = []
