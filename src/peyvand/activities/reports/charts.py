"""Charts as geometry for an inline SVG drawn by a template (ADR 17): no library, no script.

``bar_chart`` lays out horizontal bars (one a row: a user, a kind, a channel), ``column_chart``
columns over time (weeks or months). Right to left, everything is mirrored: labels on the right,
bars growing leftwards, time running from right to left. The SVG itself is laid out left to
right (``direction: ltr``), so the anchors below mean the same in both languages.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

BAR_ROW = 28
BAR_LABEL = 180
BAR_WIDTH = 720
BAR_VALUE = 64
TICK_SPACE = 20
COLUMN_SLOT = 100
COLUMN_HEIGHT = 200
COLUMN_AXIS = 48
COLUMN_LABELS = 36


@dataclass(frozen=True)
class Datum:
    label: str
    value: int
    url: str = ""


def _rounded(values: dict[str, Any]) -> dict[str, Any]:
    """Coordinates to a tenth of a unit: enough for a screen, and short markup."""
    return {name: round(value, 1) if isinstance(value, float) else value for name, value in values.items()}


@dataclass(frozen=True)
class Shape:
    """One bar or column with its label and value texts."""

    label: str
    value: int
    url: str
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float
    label_anchor: str
    value_x: float
    value_y: float
    value_anchor: str


@dataclass(frozen=True)
class Tick:
    value: int
    x1: float
    y1: float
    x2: float
    y2: float
    text_x: float
    text_y: float
    text_anchor: str


def _shape(**values: Any) -> Shape:
    return Shape(**_rounded(values))


def _tick(**values: Any) -> Tick:
    return Tick(**_rounded(values))


@dataclass(frozen=True)
class Chart:
    kind: str  # "bars" or "columns"
    width: float
    height: float
    shapes: list[Shape]
    ticks: list[Tick]
    rtl: bool = False  # labels are isolated right to left (the SVG's own direction stays ltr)

    @property
    def is_empty(self) -> bool:
        return not any(shape.value for shape in self.shapes)


def nice_ticks(largest: int, *, most: int = 4) -> list[int]:
    """0 and round steps (1, 2 or 5 times a power of ten) up to at least ``largest``."""
    if largest <= 0:
        return [0]
    raw = largest / most
    power = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(factor * power for factor in (1, 2, 5, 10) if factor * power >= raw)
    return [step * index for index in range(math.ceil(largest / step) + 1)]


def bar_chart(data: Sequence[Datum], *, rtl: bool) -> Chart:
    ticks = nice_ticks(max((datum.value for datum in data), default=0))
    top = ticks[-1] or 1
    length = BAR_WIDTH - BAR_LABEL - BAR_VALUE
    height = TICK_SPACE + BAR_ROW * max(len(data), 1)

    def along(distance: float) -> float:
        """The x of a point ``distance`` along the bars from where they start."""
        return BAR_WIDTH - BAR_LABEL - distance if rtl else BAR_LABEL + distance

    shapes = []
    for index, datum in enumerate(data):
        size = length * datum.value / top
        y = TICK_SPACE + index * BAR_ROW
        middle = y + BAR_ROW / 2 + 4
        shapes.append(_shape(
            label=datum.label, value=datum.value, url=datum.url,
            x=along(size) if rtl else along(0), y=y + 5, width=size, height=BAR_ROW - 10,
            label_x=BAR_WIDTH - BAR_LABEL + 8 if rtl else BAR_LABEL - 8, label_y=middle, label_anchor="start" if rtl else "end",
            value_x=along(size + 6), value_y=middle, value_anchor="end" if rtl else "start",
        ))  # fmt: skip
    lines = [
        _tick(value=value, x1=along(length * value / top), y1=TICK_SPACE - 4, x2=along(length * value / top),
             y2=height, text_x=along(length * value / top), text_y=TICK_SPACE - 8, text_anchor="middle")
        for value in ticks
    ]  # fmt: skip
    return Chart(kind="bars", width=BAR_WIDTH, height=height, shapes=shapes, ticks=lines, rtl=rtl)


def column_chart(data: Sequence[Datum], *, rtl: bool) -> Chart:
    ticks = nice_ticks(max((datum.value for datum in data), default=0))
    top = ticks[-1] or 1
    width = COLUMN_AXIS + COLUMN_SLOT * max(len(data), 1) + 8
    base = TICK_SPACE + COLUMN_HEIGHT

    def slot_start(index: int) -> float:
        return width - COLUMN_AXIS - (index + 1) * COLUMN_SLOT if rtl else COLUMN_AXIS + index * COLUMN_SLOT

    shapes = []
    for index, datum in enumerate(data):
        size = COLUMN_HEIGHT * datum.value / top
        centre = slot_start(index) + COLUMN_SLOT / 2
        shapes.append(_shape(
            label=datum.label, value=datum.value, url=datum.url,
            x=slot_start(index) + 14, y=base - size, width=COLUMN_SLOT - 28, height=size,
            label_x=centre, label_y=base + 18, label_anchor="middle",
            value_x=centre, value_y=base - size - 6, value_anchor="middle",
        ))  # fmt: skip
    axis_x = width - COLUMN_AXIS if rtl else COLUMN_AXIS
    lines = []
    for value in ticks:
        y = base - COLUMN_HEIGHT * value / top
        lines.append(_tick(value=value, x1=COLUMN_AXIS if not rtl else 8, y1=y, x2=width - 8 if not rtl else axis_x,
                          y2=y, text_x=axis_x + 6 if rtl else axis_x - 6, text_y=y + 4,
                          text_anchor="start" if rtl else "end"))  # fmt: skip
    return Chart(kind="columns", width=width, height=base + COLUMN_LABELS, shapes=shapes, ticks=lines, rtl=rtl)
