"""The evidence page: export attestations and agreement acceptances, and check a copy."""

import base64

from django.http import HttpResponse, JsonResponse
from django.views.generic import TemplateView

from customers.models import User
from customers.permissions import RoleRequiredMixin

from . import signing
from .digest import NotAnEvidencePack, evidence_verify, file_digest
from .forms import EvidenceScopeForm, EvidenceVerifyForm
from .models import EvidenceExport
from .services import evidence_export

EXPORTERS = (User.Role.RESELLER_STAFF, User.Role.ADMIN)
RECENT_EXPORTS_SHOWN = 20


def exports_visible_to(user):
    """Return the download records ``user`` may read: its reseller's, or all for an admin."""
    exports = EvidenceExport.objects.select_related("requested_by", "order", "customer")
    if user.sees_everything:
        return exports
    return exports.filter(reseller_id=user.reseller_id)


class EvidenceView(RoleRequiredMixin, TemplateView):
    """Show the export form (GET); with ``?download=1`` hand out the pack it describes."""

    allowed_roles = EXPORTERS
    template_name = "evidence/evidence.html"

    def get(self, request, *args, **kwargs):
        if "download" not in request.GET:
            initial = {"order": request.GET.get("order", "")}
            return self.render_page(EvidenceScopeForm(initial=initial, user=request.user))
        form = EvidenceScopeForm(request.GET, user=request.user)
        if not form.is_valid():
            return self.render_page(form, status=400)
        pack = evidence_export(
            user=request.user,
            scope=form.scope(),
            fmt=form.cleaned_data["format"],
            ip_address=request.META.get("REMOTE_ADDR"),
        )
        response = HttpResponse(pack.content, content_type=pack.content_type)
        response["Content-Disposition"] = f'attachment; filename="{pack.filename}"'
        return response

    def render_page(self, form, *, status=200, verify_form=None, verdict=None):
        context = self.get_context_data(
            form=form,
            verify_form=verify_form or EvidenceVerifyForm(),
            verdict=verdict,
            exports=exports_visible_to(self.request.user)[:RECENT_EXPORTS_SHOWN],
        )
        return self.render_to_response(context, status=status)


class EvidenceVerifyView(EvidenceView):
    """Check an uploaded copy: its records against its digest, and its bytes against our records."""

    def post(self, request, *args, **kwargs):
        verify_form = EvidenceVerifyForm(request.POST, request.FILES)
        scope_form = EvidenceScopeForm(user=request.user)
        if not verify_form.is_valid():
            return self.render_page(scope_form, status=400, verify_form=verify_form)
        content = verify_form.cleaned_data["copy"]
        return self.render_page(scope_form, verify_form=verify_form, verdict=self.verdict(content))

    def verdict(self, content: bytes) -> dict:
        original = (
            exports_visible_to(self.request.user).filter(file_digest=file_digest(content)).first()
        )
        verdict = {"original": original, "checked": None}
        try:
            verdict["checked"] = evidence_verify(content)
        except NotAnEvidencePack:
            pass  # a PDF, or not ours: only the byte-for-byte match above can speak for it
        checked = verdict["checked"]
        if checked is not None and checked.intact and original is None:
            verdict["original"] = (
                exports_visible_to(self.request.user)
                .filter(evidence_digest=checked.stated_digest)
                .first()
            )
        return verdict


def signing_key_view(request):
    """Publish the public key that verifies evidence packs (anyone may fetch it)."""
    return JsonResponse(
        {
            "algorithm": signing.ALGORITHM,
            "key_id": signing.key_id(),
            "public_key": base64.b64encode(signing.public_key_raw()).decode(),
            "public_key_pem": signing.public_key_pem(),
            "signed": "canonical JSON of the pack without its signature member "
            "(keys sorted, separators ',' and ':', UTF-8)",
        }
    )
