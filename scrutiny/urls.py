from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("account/", include("home.account_urls")),
    path("account/", include("accounts.urls")),
    path("account/passkeys/", include("django_otp_webauthn.urls")),
    path("api/oparl/", include("opendata.oparl_urls")),
    path("inquiries/", include("inquiries.urls")),
    path("inquiries/", include("recommendations.statement_urls")),
    path("recommendations/", include("recommendations.urls")),
    path("", include("home.urls")),
    path("", include("boards.urls")),
    path("", include("minutes.urls")),
    path("", include("decisions.urls")),
    path("", include("packs.urls")),
    path("", include("search.urls")),
    path("", include("follow.urls")),
    path("", include("opendata.urls")),
    path("", include("summons.urls")),
    path("", include("transfer.urls")),
]
