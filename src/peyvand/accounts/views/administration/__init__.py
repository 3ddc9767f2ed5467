"""Administration pages: users, teams, roles and the audit trail.

Thin views: they check access, read through selectors, write through services and render.
"""
