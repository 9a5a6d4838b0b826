from .navigation import menu_for, menu_tree, user_menu


def display_name(user) -> str:
    """Chinese order: family name, then given name, with no space."""
    name = f"{user.last_name}{user.first_name}".strip()
    return name or user.get_username()


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_menu": []}
    items = menu_for(user)
    return {"nav_menu": menu_tree(items), "user_menu": user_menu(items), "user_display_name": display_name(user)}
