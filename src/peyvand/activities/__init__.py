"""Tasks, calls and meetings: who does what, when, for which customer."""
