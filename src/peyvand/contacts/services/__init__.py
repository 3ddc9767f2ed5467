"""Every change to the customer file; split by sub-domain."""
