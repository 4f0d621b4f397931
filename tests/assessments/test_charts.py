"""The SVG charts: well-formed XML, an accessible image, and each value drawn where the
0-100 scale puts it."""

import xml.etree.ElementTree as ET

import pytest

from assessments.benchmarks import HIDDEN, Figures
from assessments.charts import LEFT, RIGHT, BoxRow, bar_chart, box_plot, x_of

SVG = "{http://www.w3.org/2000/svg}"


def parse(chart) -> ET.Element:
    """The chart's SVG, inside the frame that scrolls it on a phone (keyboard-focusable)."""
    frame = ET.fromstring(str(chart))
    assert (frame.tag, frame.get("class"), frame.get("tabindex")) == ("div", "chart-frame", "0")
    svg, = frame
    return svg


def by_class(root, name):
    return [e for e in root.iter() if name in (e.get("class") or "").split()]


def test_the_scale_runs_from_left_to_right():
    assert (x_of(0), x_of(100), x_of(50)) == (LEFT, RIGHT, (LEFT + RIGHT) / 2)
    assert x_of(-5) == LEFT and x_of(140) == RIGHT


def test_box_plot_places_quartiles_median_and_the_city_marker():
    figures = Figures(count=8, minimum=10, q1=25, median=60, q3=87.5, maximum=100)
    root = parse(box_plot([BoxRow("Privacy & <transparency>", figures, marker=70),
                           BoxRow("Security", HIDDEN)],
                          chart_id="privacy", title="Scores by principle",
                          marker_label="Maebashi"))
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.get("aria-labelledby") == "privacy-title privacy-desc"
    assert root.find(f"{SVG}title").text == "Scores by principle"
    assert "Maebashi" in root.find(f"{SVG}desc").text
    box, = by_class(root, "chart-box")
    assert float(box.get("x")) == x_of(25)
    assert float(box.get("width")) == pytest.approx(x_of(87.5) - x_of(25))
    median, = by_class(root, "chart-median")
    assert float(median.get("x1")) == x_of(60)
    whisker, = by_class(root, "chart-whisker")
    assert (float(whisker.get("x1")), float(whisker.get("x2"))) == (x_of(10), x_of(100))
    marker, = by_class(root, "chart-marker")
    xs = [float(point.split(",")[0]) for point in marker.get("points").split()]
    assert (min(xs) + max(xs)) / 2 == pytest.approx(x_of(70))
    assert marker.find(f"{SVG}title").text == "Maebashi: 70"
    labels = [e.text for e in by_class(root, "chart-label")]
    assert labels == ["Privacy & <transparency>", "Security"]  # escaped, read back as text
    hidden, = by_class(root, "chart-hidden")
    assert "Fewer than 5 cities" in hidden.text
    assert not any(e.get("style") for e in root.iter())  # CSP: no style attributes


def test_bar_chart_draws_each_score_as_a_bar_of_its_length():
    root = parse(bar_chart([("Privacy", 75.0), ("Equity", None), ("Security", 95.4)],
                           chart_id="mine", title="My scores"))
    bars = by_class(root, "chart-bar")
    assert [float(b.get("width")) for b in bars] == [
        pytest.approx(x_of(75) - LEFT), pytest.approx(x_of(95.4) - LEFT)]
    assert [v.text for v in by_class(root, "chart-value")] == ["75", "95"]
    assert "Not scored" in "".join(root.itertext())
