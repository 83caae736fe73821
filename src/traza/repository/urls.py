from django.urls import path
from django.utils.translation import gettext_lazy as _

from traza.repository import views

app_name = "repository"

urlpatterns = [
    path(_("documents/"), views.document_list, name="documents"),
    path(_("documents/<int:pk>/"), views.document_detail, name="document"),
    path(_("documents/file/<int:pk>/"), views.version_file, name="file"),
    path(_("search/"), views.search_page, name="search"),
    path(_("follow/<str:target>/<int:pk>/"), views.follow, name="follow"),
    path(_("follow/confirm/<str:token>/"), views.follow_confirm, name="follow_confirm"),
    path(_("follow/stop/<str:token>/"), views.unfollow, name="unfollow"),
]
