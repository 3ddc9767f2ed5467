"""The customer file's pages, one module per part."""
