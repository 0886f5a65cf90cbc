"""Factories for the product's models. Packages add their own beside their tests."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from catalog.models import Cart, CartLine, Period, Product, Segment
from customers.models import Contact, Customer, MarketplaceConnection, Reseller, User
from orders.models import Order, OrderLine, SeatBatch, Subscription


class MarketplaceConnectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MarketplaceConnection

    name = factory.Sequence(lambda n: f"Connection {n}")
    base_url = "http://simulator.invalid/marketplace/eu"
    marketplace_code = "us"
    username = "demo-reseller"
    password = "demo-password"
    subscription_key = "demo-subscription-key"


class ResellerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reseller

    name = factory.Sequence(lambda n: f"Reseller {n} Ltd")
    connection = factory.SubFactory(MarketplaceConnectionFactory)
    upstream_reseller_id = factory.Sequence(lambda n: str(2000000 + n))
    mpn_id = "1234567"
    indirect_reseller_domain = factory.Sequence(lambda n: f"reseller{n}.onmicrosoft.com")
    staff_email_domain = factory.Sequence(lambda n: f"reseller{n}.example")


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    reseller = factory.SubFactory(ResellerFactory)
    company_name = factory.Sequence(lambda n: f"Contoso Trading {n}")
    street_address = "1 Main Street"
    city = "Seattle"
    state = "WA"
    postal_code = "98101"
    country = "US"
    # Far from the simulator's seeded (1000101...) and created (1000201...) customer ids: a long
    # run's hundredth customer would otherwise be 1000101 and collide with a test's Woodgrove.
    upstream_customer_id = factory.Sequence(lambda n: str(7000000 + n))


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    customer = factory.SubFactory(CustomerFactory)
    kind = Contact.Kind.ADMIN
    first_name = "Jane"
    last_name = "Doe"
    email = factory.Sequence(lambda n: f"jane{n}@contoso.example")
    phone = "+12065550100"
    login = factory.Sequence(lambda n: f"contosoadmin{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")
    role = User.Role.RESELLER_STAFF
    reseller = factory.SubFactory(ResellerFactory)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()

    class Params:
        support = factory.Trait(role=User.Role.SUPPORT, reseller=None)
        admin = factory.Trait(role=User.Role.ADMIN, reseller=None, is_staff=True, is_superuser=True)
        end_customer = factory.Trait(
            role=User.Role.CUSTOMER_USER,
            reseller=None,
            customer=factory.SubFactory(CustomerFactory),
        )


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    mpn = factory.Sequence(lambda n: f"CFQ7TTC0{n:04d}:0001")
    name = factory.Sequence(lambda n: f"Microsoft 365 Plan {n} (NCE COM ANN)")
    segment = Segment.COMMERCIAL
    term = Period.P1Y
    billing_period = Period.P1M
    price = Decimal("12.50")
    cost = Decimal("10.00")
    minimum_quantity = 1
    maximum_quantity = 300


class CartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cart

    user = factory.SubFactory(UserFactory)


class CartLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CartLine

    cart = factory.SubFactory(CartFactory)
    product = factory.SubFactory(ProductFactory)
    quantity = 5


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    customer = factory.SubFactory(CustomerFactory)
    reseller = factory.SelfAttribute("customer.reseller")
    reference = factory.Sequence(lambda n: f"NCE-T{n:07d}")
    idempotency_key = factory.Faker("uuid4")


class OrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory)
    product = factory.SubFactory(ProductFactory)
    mpn = factory.SelfAttribute("product.mpn")
    name = factory.SelfAttribute("product.name")
    term = factory.SelfAttribute("product.term")
    billing_period = factory.SelfAttribute("product.billing_period")
    quantity = 5
    unit_price = factory.SelfAttribute("product.price")


class SubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscription

    order = factory.SubFactory(OrderFactory, status=Order.Status.COMPLETED)
    customer = factory.SelfAttribute("order.customer")
    product = factory.SubFactory(ProductFactory)
    upstream_id = factory.Sequence(lambda n: str(5000000 + n))
    status = "active"
    seats = 5
    created_at = factory.LazyFunction(timezone.now)
    cancellation_window_ends_at = factory.LazyAttribute(
        lambda s: s.created_at + timedelta(hours=168)
    )


class AdoptedSubscriptionFactory(SubscriptionFactory):
    """A subscription bought elsewhere and adopted from the estate: no order of ours."""

    order = None
    customer = factory.SubFactory(CustomerFactory)
    origin = Subscription.Origin.ADOPTED


def purchased_line(order, product, *, seats, purchased_at, seat_batch=True) -> Subscription:
    """Give a completed ``order`` a line of ``product`` and the subscription it created (with
    its seat batch, unless told not to), as recording the completion would."""
    line = OrderLineFactory(order=order, product=product, quantity=seats)
    subscription = SubscriptionFactory(
        order=order, product=product, seats=seats, created_at=purchased_at
    )
    line.subscription = subscription
    line.save()
    if seat_batch:
        SeatBatch.objects.create(
            subscription=subscription,
            order=order,
            seats=seats,
            added_at=purchased_at,
            window_ends_at=subscription.cancellation_window_ends_at,
        )
    return subscription
