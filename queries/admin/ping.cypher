// Cheapest possible round trip, for readiness checks.
RETURN 1 AS ok
