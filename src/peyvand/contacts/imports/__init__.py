"""Importing persons, companies and leads from CSV, XLSX and vCard files.

``readers`` streams the rows of a file, ``columns`` recognises its headers, ``rows`` maps and checks
one row, ``batches`` writes a batch with the job's checkpoint (``inserts`` puts its rows in with one
statement per table), ``runner`` runs a job from its checkpoint, ``tasks`` runs it in the
background; ``services``, ``selectors`` and ``forms`` are what the pages, the API and the
``import_parties`` command call.
"""
