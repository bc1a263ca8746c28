"""Sign-in lockout (django-axes) with a limit of its own for each thing it counts.

- A user name from one address: AXES_FAILURE_LIMIT wrong passwords (5) lock that pair for the
  cool-off time. Someone guessing at the manager's password from outside locks only themselves out;
  the salon's own staff, at another address, sign in as usual.
- One address, whatever the user names: LOGIN_ADDRESS_FAILURE_LIMIT (30) wrong passwords lock the
  address, so that nobody can try a few passwords on every account. It is higher because a whole
  salon shares one address and its staff mistype too.

axes compares one count with one limit; here each kind of attempt is scaled to AXES_FAILURE_LIMIT
by its own limit, so a parameter reaches "locked" exactly when its own count reaches its own limit.
The addresses come from `salon_crm.client_address` (AXES_CLIENT_IP_CALLABLE).
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_lockout_parameters
from django.conf import settings
from django.db.models import Sum

ADDRESS_ONLY = "ip_address"


class SalonLockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials: dict | None = None) -> int:
        limit = settings.AXES_FAILURE_LIMIT
        parameters = get_lockout_parameters(request, credentials)
        attempts = self.get_user_attempts(request, credentials)
        scaled = [0]
        for parameter, found in zip(parameters, attempts, strict=True):
            failures = found.aggregate(total=Sum("failures_since_start"))["total"] or 0
            own_limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT if parameter == ADDRESS_ONLY else limit
            scaled.append(failures * limit // max(own_limit, 1))
        return max(scaled)

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """A successful sign-in clears that user name's failures only: one good account must not
        wipe the count of an address that has been trying every other one."""
        attempts = self.filter_user_attempts(request, credentials)
        parameters = get_lockout_parameters(request, credentials)
        return sum(
            found.delete()[0]
            for parameter, found in zip(parameters, attempts, strict=True)
            if parameter != ADDRESS_ONLY
        )
