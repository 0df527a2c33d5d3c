"""Chart geometry: axis labels say the true values, and the smallest count stays visible."""

from __future__ import annotations

from bot.dashboard.charts import MIN_BAR, bar_chart, column_chart, grouped_chart


def test_a_half_step_tick_reads_two_and_a_half() -> None:
    chart = column_chart("daily", [("一", 5), ("二", 3)])
    assert [tick.label for tick in chart.ticks] == ["0", "2.5", "5"]
    funnel = grouped_chart("funnel", [("D-1", [50, 3])], ["送达", "申请"])
    assert [tick.label for tick in funnel.ticks] == ["0", "25", "50"]


def test_one_against_1400_is_a_visible_bar_and_zero_is_none() -> None:
    funnel = grouped_chart("funnel", [("D-1", [1400, 1, 0])], ["送达", "点击", "申请"])
    delivered, one, zero = funnel.bars
    assert one.height >= MIN_BAR and zero.height == 0
    assert one.y + one.height == delivered.y + delivered.height  # on the same baseline
    outcomes = bar_chart("outcomes", [("delivered", 1400), ("failed", 1), ("skipped", 0)])
    assert [bar.width >= MIN_BAR for bar in outcomes.bars] == [True, True, False]
    hourly = column_chart("hourly", [("09", 1400), ("10", 1)])
    assert hourly.bars[1].height >= MIN_BAR
