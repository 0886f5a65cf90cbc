"""The price book pages: reseller staff set the default and the overrides."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from customers.models import User
from customers.permissions import read_only_for_support, role_required

from .forms import BookForm, RuleForm
from .services import book_for, rule_add, rule_delete

staff_only = role_required(User.Role.RESELLER_STAFF)


@never_cache
@staff_only
@read_only_for_support
def book(request):
    """Show the reseller's price book; save its default or add a rule."""
    book = book_for(reseller=request.user.reseller)
    book_form = BookForm(instance=book, prefix="book")
    rule_form = RuleForm(reseller=book.reseller, prefix="rule")
    if request.method == "POST" and "save_book" in request.POST:
        book_form = BookForm(request.POST, instance=book, prefix="book")
        if book_form.is_valid():
            book_form.save()
            messages.success(request, _("Default prices saved."))
            return redirect("pricing:book")
    elif request.method == "POST":
        rule_form = RuleForm(request.POST, reseller=book.reseller, prefix="rule")
        rule_form.instance.book = book
        if rule_form.is_valid():
            rule_add(book=book, rule=rule_form.save(commit=False))
            messages.success(request, _("Rule added."))
            return redirect("pricing:book")
    status = 400 if request.method == "POST" else 200
    rules = book.rules.select_related("product", "customer").order_by("level", "pk")
    return render(
        request,
        "pricing/book.html",
        {"book": book, "book_form": book_form, "rule_form": rule_form, "rules": rules},
        status=status,
    )


@staff_only
@read_only_for_support
@require_POST
def rule_remove(request, rule_pk):
    """Delete one rule of the reseller's own book."""
    if not rule_delete(book=book_for(reseller=request.user.reseller), rule_id=rule_pk):
        # Another reseller's rule, or one already deleted: not found, like any foreign object.
        raise Http404(_("That rule no longer exists."))
    messages.success(request, _("Rule deleted."))
    return redirect("pricing:book")
