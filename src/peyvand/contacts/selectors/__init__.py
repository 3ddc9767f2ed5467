"""Every read of the customer file that is more than a get; split by part."""
