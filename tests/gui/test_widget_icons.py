"""Level icons differ in shape as well as colour at 24 px; state icons look like no level."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtGui import QColor, QImage

from moodline.daemon.levels import Level
from moodline.widget.icons import COLOURS, StateIcon, level_pixmap, state_pixmap

pytestmark = pytest.mark.gui


def mask(image: QImage) -> list[bool]:
    return [
        image.pixelColor(x, y).alpha() > 128
        for y in range(image.height())
        for x in range(image.width())
    ]


def test_levels_differ_in_shape_alone(qapp: object) -> None:
    masks = {level: mask(level_pixmap(level, 24).toImage()) for level in Level}
    for a, b in itertools.combinations(Level, 2):
        differing = sum(x != y for x, y in zip(masks[a], masks[b], strict=True))
        assert differing >= 24, f"{a} and {b} have nearly the same silhouette ({differing} px)"


def test_levels_differ_in_colour_and_lightness_orders_them(qapp: object) -> None:
    colours = [QColor(COLOURS[level]) for level in Level]
    assert len({c.name() for c in colours}) == 7
    negatives = [c.lightness() for c in colours[:3]]
    positives = [c.lightness() for c in colours[4:]]
    assert negatives == sorted(negatives), "darker orange = worse"
    assert positives == sorted(positives, reverse=True), "darker purple = better"


def test_state_icons_are_grey_outlines_unlike_any_level(qapp: object) -> None:
    level_masks = {level: mask(level_pixmap(level, 24).toImage()) for level in Level}
    for state in StateIcon:
        image = state_pixmap(state, 24).toImage()
        state_mask = mask(image)
        assert 0 < sum(state_mask) < 0.75 * sum(level_masks[Level.NEUTRAL]), state
        for level, level_mask in level_masks.items():
            differing = sum(x != y for x, y in zip(state_mask, level_mask, strict=True))
            assert differing >= 24, (state, level)
        saturations = [
            image.pixelColor(x, y).hsvSaturation()
            for y in range(24)
            for x in range(24)
            if image.pixelColor(x, y).alpha()
        ]
        assert max(saturations) < 30, f"{state} must be grey, not a level colour"
