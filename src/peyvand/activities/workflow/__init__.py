"""Internal workflow: hand-offs, approval requests and notes with @mentions, on any record."""
