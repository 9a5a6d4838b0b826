from django.db import models
from django.utils.translation import gettext_lazy as _


class EndReason(models.TextChoices):
    LOGOUT = "logout", _("退出登录")
    USER = "user", _("本人结束")
    PASSWORD = "password", _("修改密码")
    ADMIN = "admin", _("管理员结束")
    EXPIRED = "expired", _("已过期")
