"""Signing in with a password and a code; setting up an authenticator; recovery codes.

The password step (``SignInView``) signs in at once only a user with no authenticator.
Anyone else is held in the session for ``TWO_FACTOR_PENDING_SECONDS`` until
``VerifyView`` accepts a code: only then is the user signed in, so django-axes clears its
count of failures only when both steps succeeded, and a wrong code counts as a failed
sign-in (``user_login_failed``) towards the same lockout as a wrong password.
"""

import time
from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from axes.utils import reset as axes_reset
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView, RedirectURLMixin
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login

from config.client_address import client_address, lockout_response
from customers import two_factor
from customers.step_up import step_up_required

#: The user who gave the right password and still owes a code: {"user", "backend", "at"}.
PENDING_SESSION_KEY = "two_factor_pending"
#: Recovery codes just made, shown once on the next two-factor page of this session.
#: Set when codes were just issued, for the next page to show them once. The codes themselves
#: never enter the session (stored in the clear): that page reads them, encrypted, from their rows.
NEW_CODES_SESSION_KEY = "two_factor_codes_issued"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The 6 digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


class SignInView(LoginView):
    """The password step. A user with an authenticator goes on to the code step."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if not two_factor.is_enrolled(user):
            return super().form_valid(form)
        self.request.session.cycle_key()
        self.request.session[PENDING_SESSION_KEY] = {
            "user": user.pk,
            "backend": user.backend,
            "at": time.time(),
        }
        return redirect_with_next("two_factor_verify", self.get_redirect_url())


def redirect_with_next(name, next_url):
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    return redirect(reverse(name) + query)


def pending_user(request):
    """Return the user held between the password and the code step, or None (expired)."""
    pending = request.session.get(PENDING_SESSION_KEY)
    if not pending or time.time() - pending["at"] > settings.TWO_FACTOR_PENDING_SECONDS:
        return None
    user = get_user_model()._default_manager.filter(pk=pending["user"], is_active=True).first()
    if user is not None:
        user.backend = pending["backend"]
    return user


@method_decorator([sensitive_post_parameters("code"), never_cache], name="dispatch")
class VerifyView(RedirectURLMixin, View):
    """The code step: after the password, or before a page that asks for a code again."""

    template_name = "registration/two_factor_verify.html"
    next_page = settings.LOGIN_REDIRECT_URL

    def get_user(self):
        if self.request.user.is_authenticated:
            return self.request.user
        return pending_user(self.request)

    def dispatch(self, request, *args, **kwargs):
        user = self.get_user()
        if user is None:
            messages.info(request, _("Your sign-in took too long: enter your password again."))
            return redirect("login")
        if request.user.is_authenticated and request.user.is_verified():
            return redirect(self.get_success_url())
        if request.user.is_authenticated and not two_factor.is_enrolled(user):
            return redirect_with_next("two_factor_enrol", self.get_redirect_url())
        self.user = user
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, form, status=200):
        context = {"form": form, "next": self.get_redirect_url(), "verify_user": self.user}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request):
        return self.render_form(CodeForm())

    def post(self, request):
        form = CodeForm(request.POST)
        if not form.is_valid():
            return self.render_form(form, status=400)
        credentials = {"username": self.user.get_username()}
        if not AxesProxyHandler.is_allowed(request, credentials):
            return lockout_response(request, credentials=credentials)
        device = two_factor.code_verify(user=self.user, code=form.cleaned_data["code"])
        if device is None:
            return self.refuse(form, credentials)
        if request.user.is_authenticated:  # signed in by the admin's login page: code owed
            otp_login(request, device)
            axes_reset(ip=client_address(request), username=credentials["username"])
        else:
            self.user.otp_device = device  # django-otp verifies the new session; axes resets
            auth_login(request, self.user, backend=self.user.backend)
        request.session.pop(PENDING_SESSION_KEY, None)
        if device.name == two_factor.RECOVERY:
            left = two_factor.recovery_codes_left(self.user)
            messages.warning(
                request,
                _("You used a recovery code; %(left)s left. Make new ones on the two-factor page.")
                % {"left": left},
            )
        return redirect(self.get_success_url())

    def refuse(self, form, credentials):
        """Count the wrong code as a failed sign-in; locked out, the sign-in starts again."""
        user_login_failed.send(sender=__name__, credentials=credentials, request=self.request)
        if getattr(self.request, "axes_locked_out", False):
            if self.request.user.is_authenticated:
                auth_logout(self.request)
            self.request.session.pop(PENDING_SESSION_KEY, None)
            return lockout_response(self.request, credentials=credentials)
        wait = two_factor.verify_wait(self.user)
        if wait:
            error = _("Too many wrong codes: wait %(seconds)s seconds, then try again.") % {
                "seconds": wait
            }
        else:
            error = _(
                "That code is not right. Enter the code your app shows now (check that the "
                "phone's clock is right), or a recovery code."
            )
        form.add_error("code", error)
        return self.render_form(form, status=400)


@method_decorator([sensitive_post_parameters("code"), never_cache], name="dispatch")
class EnrolView(LoginRequiredMixin, RedirectURLMixin, View):
    """Set up an authenticator: scan the QR code (or type the secret), confirm with a code."""

    template_name = "registration/two_factor_enrol.html"

    def get_default_redirect_url(self):
        return self.get_redirect_url() or ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and two_factor.is_enrolled(request.user):
            return redirect("two_factor")
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, form, status=200):
        device = two_factor.enrolment_start(user=self.request.user)
        context = {
            "form": form,
            "qr_svg": two_factor.qr_svg(device),
            "secret": two_factor.secret_text(device),
            "next": self.get_redirect_url(),
            "required": two_factor.two_factor_required(self.request.user),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request):
        return self.render_form(CodeForm())

    def post(self, request):
        form = CodeForm(request.POST)
        if not form.is_valid():
            return self.render_form(form, status=400)
        device = two_factor.enrolment_start(user=request.user)
        if not two_factor.enrolment_confirm(device=device, token=form.cleaned_data["code"]):
            form.add_error(
                "code",
                _(
                    "That code is not right. Check that you scanned this page's QR code and "
                    "that the phone's clock is right, then enter the code it shows now."
                ),
            )
            return self.render_form(form, status=400)
        otp_login(request, device)
        two_factor.recovery_codes_issue(user=request.user)
        request.session[NEW_CODES_SESSION_KEY] = True
        messages.success(request, _("Two-factor sign-in is on. Keep your recovery codes safe."))
        next_url = self.get_redirect_url()
        return redirect_with_next("two_factor", next_url)


@method_decorator(never_cache, name="dispatch")
class TwoFactorView(LoginRequiredMixin, RedirectURLMixin, View):
    """The user's two-factor sign-in: on or off, new recovery codes (shown once), new ones."""

    template_name = "registration/two_factor.html"

    def get(self, request):
        issued = request.session.pop(NEW_CODES_SESSION_KEY, False)
        codes = two_factor.recovery_codes_of(request.user) if issued else None
        enrolled = two_factor.is_enrolled(request.user)
        context = {
            "enrolled": enrolled,
            "device": two_factor.authenticator_of(request.user) if enrolled else None,
            "required": two_factor.two_factor_required(request.user),
            "new_codes": codes,
            "codes_left": two_factor.recovery_codes_left(request.user),
            "next": self.get_redirect_url(),
        }
        return render(request, self.template_name, context)

    @method_decorator(step_up_required)
    def post(self, request):
        two_factor.recovery_codes_issue(user=request.user)
        request.session[NEW_CODES_SESSION_KEY] = True
        messages.success(request, _("New recovery codes made; the old ones no longer work."))
        return redirect("two_factor")
