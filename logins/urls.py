app_name = "logins"

urlpatterns = []
