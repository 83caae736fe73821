"""Sign in with the e-mail address as well as the account name: accounts made by sign-up
get a neutral name (it appears in the trace beside what they do), never their address."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or "@" not in username:
            return None
        users = get_user_model().objects.filter(email__iexact=username.strip())
        for user in users[:2]:
            if user.check_password(password) and self.user_can_authenticate(user):
                return user
        get_user_model()().set_password(password)  # same time whether or not it exists
        return None
