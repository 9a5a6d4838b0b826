from .accounts import display_name
from .navigation import menu_for, menu_tree, user_menu


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_menu": []}
    items = menu_for(user)
    return {"nav_menu": menu_tree(items), "user_menu": user_menu(items), "user_display_name": display_name(user)}
