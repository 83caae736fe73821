from django.urls import path
from django.utils.translation import gettext_lazy as _

from traza.forum import views

app_name = "forum"

urlpatterns = [
    path(_("forum/"), views.forum_list, name="list"),
    path(_("forum/<int:pk>/"), views.forum_detail, name="forum"),
    path(_("network/"), views.network, name="network"),
    path(_("good-practices/"), views.good_practices, name="good_practices"),
]
