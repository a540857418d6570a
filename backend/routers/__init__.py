"""One router module per department (plus the cross-department ones: certificates, ratings)."""
