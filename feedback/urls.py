from django.urls import path

from . import views

urlpatterns = [
    path("", views.feedback, name="feedback"),
    path("thanks/", views.thanks, name="feedback-thanks"),
]
