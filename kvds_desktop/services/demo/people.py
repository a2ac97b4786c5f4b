"""Fictional candidates' personal data: names, BSN, birth date, contact and address."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from kvds_desktop.domain.enums import Gender
from kvds_desktop.services.demo.names import (
    AANDACHTSPUNTEN,
    AFGHAN,
    ERITREAN,
    SOMALI,
    STREETS,
    SYRIAN,
    TURKISH,
    VILLAGES,
    Background,
)
from kvds_desktop.services.demo.reference import ascii_slug, dutch_name
from kvds_desktop.services.demo.writer import DemoWriter

# Countries of origin before and after the Afghan evacuation of 2021.
EARLY_MIX: tuple[tuple[Background, int], ...] = (
    (SYRIAN, 45), (ERITREAN, 28), (AFGHAN, 8), (TURKISH, 7), (SOMALI, 12),
)  # fmt: skip
LATE_MIX: tuple[tuple[Background, int], ...] = (
    (SYRIAN, 34), (ERITREAN, 20), (AFGHAN, 22), (TURKISH, 14), (SOMALI, 10),
)  # fmt: skip
POSTCODE_LETTERS = "ABCDEGHJKLMNPRTVWXZ"
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")


def bsn_is_valid(number: str) -> bool:
    """Whether ``number`` is 9 digits passing the Dutch 11-proef."""
    if len(number) != 9 or not number.isdigit():
        return False
    digits = [int(ch) for ch in number]
    total = sum(d * (9 - i) for i, d in enumerate(digits[:8])) - digits[8]
    return total % 11 == 0 and number != "000000000"


@dataclass
class PersonalData:
    """The personal columns of one candidate row."""

    voornamen: str
    tussenvoegsel: str
    achternaam: str
    gender: str
    nationality: str
    birth_date: date
    bsn: str | None
    phone: str
    email: str
    address: str
    postcode: str
    city: str
    aandachtspunten: str

    def columns(self) -> dict[str, object]:
        """The candidate-table columns of this person."""
        return dict(self.__dict__)


class PeopleFactory:
    """Makes unique fictional people; BSNs, klantnummers and e-mails never repeat."""

    def __init__(self, w: DemoWriter) -> None:
        self.w = w
        self._bsns: set[str] = set()
        self._emails: set[str] = set()
        self._klantnummer: dict[str, int] = {}

    def bsn(self) -> str:
        """A new unique 9-digit number passing the 11-proef."""
        rng = self.w.rng
        while True:
            digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(7)]
            check = sum(d * (9 - i) for i, d in enumerate(digits)) % 11
            if check == 10:
                continue
            number = "".join(map(str, digits)) + str(check)
            if number not in self._bsns:
                self._bsns.add(number)
                return number

    def klantnummer(self, prefix: str) -> str:
        """A new unique client number of a municipality's client system."""
        last = self._klantnummer.get(prefix, 104_000 + self.w.rng.randint(0, 900))
        last += self.w.rng.randint(1, 37)
        self._klantnummer[prefix] = last
        return f"{prefix}{last:07d}"

    def _email(self, first: str, last: str) -> str:
        rng = self.w.rng
        base = f"{ascii_slug(first.split()[0])}.{ascii_slug(last)}".strip(".") or "deelnemer"
        while True:
            suffix = "" if rng.random() < 0.3 else str(rng.randint(1, 99))
            email = f"{base}{suffix}@{rng.choice(EMAIL_DOMAINS)}"
            if email not in self._emails:
                self._emails.add(email)
                return email

    def _name(self, registration: date, dutch: bool) -> tuple[str, str, str, str, str]:
        rng = self.w.rng
        if dutch:
            first, tussen, last = dutch_name(self.w)
            gender = Gender.MAN if rng.random() < 0.5 else Gender.VROUW
            return first, tussen, last, gender.value, "Nederlandse"
        mix = EARLY_MIX if registration.year < 2022 else LATE_MIX
        background = rng.choices([b for b, _ in mix], weights=[n for _, n in mix])[0]
        male = rng.random() < background.share_male
        first = rng.choice(background.male if male else background.female)
        if background.patronymic and rng.random() < 0.5:
            last = rng.choice(background.male)
        else:
            last = rng.choice(background.surnames)
        if last == first:
            last = rng.choice(background.surnames)
        gender = Gender.MAN if male else Gender.VROUW
        return first, "", last, gender.value, background.nationality

    def person(self, municipality: str, registration: date, *, dutch: bool = False) -> PersonalData:
        """A fictional person living in ``municipality``, adult at ``registration``."""
        rng = self.w.rng
        first, tussen, last, gender, nationality = self._name(registration, dutch)
        age_days = int(rng.triangular(18, 59, 29) * 365.25) + rng.randint(0, 300)
        birth = registration - timedelta(days=age_days)
        village, prefix = rng.choice(VILLAGES[municipality])
        number = str(rng.randint(1, 180)) + ("" if rng.random() < 0.85 else rng.choice("abc"))
        points = ""
        if rng.random() < 0.35:
            points = "; ".join(rng.sample(AANDACHTSPUNTEN, rng.choice((1, 1, 2))))
        return PersonalData(
            voornamen=first,
            tussenvoegsel=tussen,
            achternaam=last,
            gender=gender,
            nationality=nationality,
            birth_date=birth,
            bsn=self.bsn() if rng.random() < 0.7 else None,
            phone=f"06-{rng.randint(10_000_000, 99_999_999)}" if rng.random() < 0.95 else "",
            email=self._email(first, last) if rng.random() < 0.8 else "",
            address=f"{rng.choice(STREETS)} {number}",
            postcode=f"{prefix} {rng.choice(POSTCODE_LETTERS)}{rng.choice(POSTCODE_LETTERS)}",
            city=village,
            aandachtspunten=points,
        )
