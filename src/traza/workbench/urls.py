from django.urls import include, path

app_name = "workbench"

urlpatterns: list = [
    path("", include("traza.workbench.matrix.urls")),
]
