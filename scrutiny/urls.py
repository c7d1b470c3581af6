from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("account/", include("boards.account_urls")),
    path("api/oparl/", include("boards.oparl_urls")),
    path("inquiries/", include("inquiries.urls")),
    path("recommendations/", include("recommendations.urls")),
    path("", include("boards.urls")),
]
