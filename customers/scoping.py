"""The one mechanism that decides which rows a user may see.

Every model a reseller or end customer can reach by URL has a queryset that
inherits ``ScopedQuerySet`` and names the lookups that lead from it to its
reseller and to its customer. Views fetch through ``visible_to(user)``, so an
object outside the user's scope is simply not found (a 404).
"""

from django.db import models


class ScopedQuerySet(models.QuerySet):
    #: lookup from this model to the owning reseller's id, e.g. "customer__reseller_id"
    reseller_lookup: str = "reseller_id"
    #: lookup from this model to the owning end customer's id ("pk" on Customer
    #: itself), or None if end customers never see this model
    customer_lookup: str | None = "customer_id"

    def visible_to(self, user):
        """Return the rows ``user`` may read."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_everything:
            return self.all()
        if user.role == user.Role.RESELLER_STAFF and user.reseller_id:
            return self.filter(**{self.reseller_lookup: user.reseller_id})
        if user.role == user.Role.CUSTOMER_USER and user.customer_id and self.customer_lookup:
            return self.filter(**{self.customer_lookup: user.customer_id})
        return self.none()
