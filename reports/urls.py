"""The performance reports' addresses (included at the root, before the ratings URLs).

The names and their arguments (slug, year) are a contract: the council page links to
``council-report`` and ``council-report-pdf`` when they reverse."""

from django.urls import path

from . import views

urlpatterns = [
    path("councils/<slug:slug>/<int:year>/report/", views.council_report, name="council-report"),
    path(
        "councils/<slug:slug>/<int:year>/report.pdf",
        views.council_report_pdf,
        name="council-report-pdf",
    ),
    path("ratings/<int:year>/report.pdf", views.national_report_pdf, name="national-report-pdf"),
    path("ratings/<int:year>/reports.zip", views.round_reports_zip, name="round-reports-zip"),
]
