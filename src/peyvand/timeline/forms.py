"""The forms of the timeline, shared by its pages and its API so both accept exactly the same."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peyvand.common.forms import LocalDateTimeField
from peyvand.common.text import to_ascii_digits
from peyvand.timeline.models import Channel, Interaction
from peyvand.timeline.selectors import CHANGES_ONLY

# The icons drawn in timeline/static/timeline/channels.svg, by the name a channel stores.
ICONS = [
    ("phone", _("Phone")), ("email", _("Email")), ("sms", _("Text message")), ("website", _("Website")),
    ("portal", _("Portal")), ("store", _("Store")), ("field_sales", _("Briefcase")), ("after_sales", _("Headset")),
    ("ivr", _("Keypad")), ("kiosk", _("Kiosk")), ("social", _("Social media")), ("letter", _("Letter")),
    ("channel", _("Other")),
]  # fmt: skip


class ChannelChoiceField(forms.ChoiceField):
    """A channel chosen by its key, from a list read once (the select and the check share one query)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.channels: dict[str, Channel] = {}

    def set_channels(self, channels: list[Channel]) -> None:
        self.channels = {channel.key: channel for channel in channels}
        self.choices = [(channel.key, channel.label) for channel in channels]

    def clean(self, value: Any) -> Channel | None:
        key = super().clean(value)
        return self.channels.get(key) if key else None


class RialField(forms.IntegerField):
    """An amount in Rial as people type it: Persian or Latin digits, with or without separators."""

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = re.sub(r"[\s,٬_']", "", to_ascii_digits(value))
        return super().to_python(value)


class InteractionForm(forms.Form):
    """Log or change an interaction. An empty time means now; an empty cost the channel's cost per contact."""

    channel = ChannelChoiceField(label=_("Channel"))
    kind = forms.ChoiceField(label=_("Kind"), choices=Interaction.Kind.choices)
    direction = forms.ChoiceField(label=_("Direction"), choices=Interaction.Direction.choices)
    occurred_at = LocalDateTimeField(label=_("When"), required=False,
                                     help_text=_("Leave empty for now."))  # fmt: skip
    subject = forms.CharField(label=_("Subject"), max_length=300, required=False)
    content = forms.CharField(label=_("Content"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    duration_seconds = forms.IntegerField(label=_("Duration (seconds)"), min_value=0, max_value=2**31 - 1,
                                          required=False)  # fmt: skip
    cost = RialField(label=_("Cost (Rial)"), min_value=0, max_value=2**63 - 1, required=False,
                     help_text=_("Leave empty for the channel's cost per contact."))  # fmt: skip

    def __init__(self, *args: Any, channels: list[Channel], interaction: Interaction | None = None,
                 **kwargs: Any) -> None:  # fmt: skip
        self.interaction = interaction
        if interaction is not None:
            kwargs.setdefault("initial", {
                "channel": interaction.channel.key, "kind": interaction.kind, "direction": interaction.direction,
                "occurred_at": interaction.occurred_at, "subject": interaction.subject, "content": interaction.content,
                "duration_seconds": interaction.duration_seconds, "cost": interaction.cost,
            })  # fmt: skip
            if interaction.channel not in channels:  # a channel deactivated since stays on its interactions
                channels = [*channels, interaction.channel]
        super().__init__(*args, **kwargs)
        channel_field = self.fields["channel"]
        assert isinstance(channel_field, ChannelChoiceField)
        channel_field.set_channels(channels)
        self.fields["subject"].widget.attrs.update({"autocomplete": "off", "dir": "auto"})
        # "@username" in the content tells that colleague (accounts/static/accounts/mentions.js offers them).
        self.fields["content"].widget.attrs.update({"dir": "auto", "data-mentions": ""})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            "subject" not in self.errors
            and not (cleaned.get("subject") or "").strip()
            and not (cleaned.get("content") or "").strip()
        ):
            self.add_error("subject", _("Write a subject or some content."))
        if cleaned.get("occurred_at") is None and "occurred_at" not in self.errors:
            cleaned["occurred_at"] = self.interaction.occurred_at if self.interaction else timezone.now()
        return cleaned


class QuickLogForm(InteractionForm):
    """The customer page's short form: channel, kind, direction, subject, content and time."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("duration_seconds", "cost"):
            del self.fields[name]
        self.fields["subject"].widget.attrs["data-timeline-subject"] = ""
        self.fields["occurred_at"].widget.attrs["placeholder"] = _("Now")
        self.fields["occurred_at"].help_text = ""
        self.fields["content"].widget.attrs["rows"] = 2


class TimelineFilterForm(forms.Form):
    channel = ChannelChoiceField(label=_("Channel"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args: Any, channels: list[Channel], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "timeline-filter-%s")
        super().__init__(*args, **kwargs)
        channel_field = self.fields["channel"]
        assert isinstance(channel_field, ChannelChoiceField)
        channel_field.set_channels(channels)
        channel_field.choices = [("", _("All channels")), *[(channel.key, channel.label) for channel in channels]]
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = [
            ("", _("All kinds")),
            *Interaction.Kind.choices,
            (CHANGES_ONLY, _("Changes to the record")),
        ]

    def values(self) -> dict[str, Any]:
        """The valid filters; a wrong value is left out (the list shows everything rather than an error)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"channel": data.get("channel") or None, "kind": data.get("kind") or None}


class ChannelForm(forms.Form):
    name = forms.CharField(label=_("Name (Persian)"), max_length=100)
    name_en = forms.CharField(label=_("Name (English)"), max_length=100, required=False)
    key = forms.SlugField(label=_("Key"), max_length=40,
                          help_text=_("Latin letters, digits, - and _; other systems name the channel by it."))  # fmt: skip
    icon = forms.ChoiceField(label=_("Icon"), choices=ICONS, initial="channel")
    cost_per_contact = RialField(label=_("Cost per contact (Rial)"), min_value=0, max_value=2**63 - 1, initial=0,
                                 help_text=_("Copied onto each interaction logged from now on; past interactions keep their cost."))  # fmt: skip
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=32767, initial=100)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True,
                                   help_text=_("An inactive channel is not offered for new interactions."))  # fmt: skip

    def __init__(self, *args: Any, channel: Channel | None = None, **kwargs: Any) -> None:
        self.channel = channel
        if channel is not None:
            kwargs.setdefault("initial", {name: getattr(channel, name) for name in
                                          ("name", "name_en", "key", "icon", "cost_per_contact", "order", "is_active")})  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["key"].widget.attrs["dir"] = "ltr"
        self.fields["cost_per_contact"].widget = forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"})

    def clean_key(self) -> str:
        key: str = self.cleaned_data["key"]
        taken = Channel.objects.filter(key=key)
        if self.channel is not None:
            taken = taken.exclude(pk=self.channel.pk)
        if taken.exists():
            raise forms.ValidationError(_("Another channel already has this key."))
        return key
