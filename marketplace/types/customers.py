"""End customers: their address and contact persons."""

from __future__ import annotations

from dataclasses import dataclass, field

from .common import _items, _str


@dataclass(frozen=True)
class Address:
    street_address: str
    city: str
    postal_code: str
    country_code: str
    state: str = ""
    address_extension: str = ""

    @classmethod
    def from_api(cls, data) -> Address:
        data = data if isinstance(data, dict) else {}
        return cls(
            street_address=_str(data.get("streetAddress")),
            city=_str(data.get("city")),
            postal_code=_str(data.get("postalCode")),
            country_code=_str(data.get("countryCode")),
            state=_str(data.get("state")),
            address_extension=_str(data.get("addressExtension")),
        )

    def to_api(self) -> dict:
        data = {
            "streetAddress": self.street_address,
            "city": self.city,
            "postalCode": self.postal_code,
            "countryCode": self.country_code,
        }
        if self.state:
            data["state"] = self.state
        if self.address_extension:
            data["addressExtension"] = self.address_extension
        return data


@dataclass(frozen=True)
class ContactPerson:
    type: str
    first_name: str
    last_name: str
    email: str
    phone_number: str
    #: Write-only upstream: sent when creating the customer, never returned.
    login: str = ""
    password: str = field(default="", repr=False)

    @classmethod
    def from_api(cls, data: dict) -> ContactPerson:
        return cls(
            type=_str(data.get("type")) or "admin",
            first_name=_str(data.get("firstName")),
            last_name=_str(data.get("lastName")),
            email=_str(data.get("email")),
            phone_number=_str(data.get("phoneNumber")),
        )

    def to_api(self) -> dict:
        data = {
            "type": self.type,
            "firstName": self.first_name,
            "lastName": self.last_name,
            "email": self.email,
            "phoneNumber": self.phone_number,
        }
        if self.login:
            data["login"] = self.login
        if self.password:
            data["password"] = self.password
        return data


@dataclass(frozen=True)
class Customer:
    id: str
    name: str
    status: str
    address: Address
    contact_persons: tuple[ContactPerson, ...] = ()
    language: str = ""
    external_id: str = ""
    tax_reg_id: str = ""
    reseller_id: str = ""
    attributes: dict = field(default_factory=dict)

    @classmethod
    def from_api(cls, data: dict) -> Customer:
        return cls(
            id=_str(data.get("id")),
            name=_str(data.get("name")),
            status=_str(data.get("status")),
            address=Address.from_api(data.get("address")),
            contact_persons=tuple(
                ContactPerson.from_api(c) for c in _items(data.get("contactPersons"))
            ),
            language=_str(data.get("language")),
            external_id=_str(data.get("externalId")),
            tax_reg_id=_str(data.get("taxRegId")),
            reseller_id=_str(data.get("resellerId")),
            attributes=dict(data.get("attributes") or {}),
        )
