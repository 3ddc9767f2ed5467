"""Activity reports: counts of activities and interactions by user, team, kind, channel, outcome and
period, drawn as inline SVG on the server (ADR 17) and linked to the records they count."""
