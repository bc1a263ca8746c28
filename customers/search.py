"""Finding a customer by what the person searching already sees on her masked card.

Staff see a customer's name and her number masked as `138****5678`. A search that matched any
end of the full number would answer "is the hidden digit a 4?" — ten guesses a digit recover the
number without the audited reveal. So a search matches her name, or exactly the four digits the
mask shows, and nothing else; the same for everyone, head office included.
"""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet

from .models import Customer

_SHOWN_DIGITS = re.compile(r"^\d{4}$")


def customers_matching(customers: QuerySet[Customer], query: str) -> QuerySet[Customer]:
    """`customers` whose name contains `query`, or whose number ends in it when it is four digits."""
    query = query.strip()
    if not query:
        return customers.none()
    matches = Q(name__icontains=query)
    if _SHOWN_DIGITS.match(query):
        matches |= Q(phone__endswith=query)
    return customers.filter(matches)
