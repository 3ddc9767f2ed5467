"""The shared kernel: Persian text, Jalali dates, numbers, pagination and the shell's registries.

`common` imports no other Peyvand app.
"""
