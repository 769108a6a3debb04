from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import resolve_url

from .forms import LoginForm


class LoginView(auth_views.LoginView):
    """Django's login, where a signed-in user sent back to the login page (``?next=`` pointing at it) lands on
    the home page instead of Django's "redirection loop" error."""

    redirect_authenticated_user = True
    authentication_form = LoginForm

    def get_success_url(self):
        url = super().get_success_url()
        if url.split("?", 1)[0] == self.request.path:
            return resolve_url(settings.LOGIN_REDIRECT_URL)
        return url
