"""The customer's electronic file: every touchpoint on every channel, and the timeline that shows them."""
