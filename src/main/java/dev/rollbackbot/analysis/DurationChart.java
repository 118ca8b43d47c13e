package dev.rollbackbot.analysis;

import dev.rollbackbot.analysis.RollbackStats.Run;
import dev.rollbackbot.core.RollbackKind;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TimeZone;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.time.FixedMillisecond;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;

/**
 * The chart of rollback durations over time: x is when each run started, y its duration in seconds, one series per
 * kind. Drawn in memory (headless AWT, no display) to a PNG.
 */
public final class DurationChart {
    public static final int WIDTH = 960;
    public static final int HEIGHT = 480;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    static {
        // a server has no display: AWT must never try to open one
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private DurationChart() {
    }

    public static byte[] png(RollbackStats stats) {
        Map<RollbackKind, TimeSeries> series = new LinkedHashMap<>();
        for (Run r : stats.runs()) {
            TimeSeries s = series.computeIfAbsent(r.kind(), k -> new TimeSeries(k.word()));
            // two runs in the same millisecond would be one point: the later one nudged by a millisecond each time
            long at = r.startedAt().toEpochMilli();
            while (s.getDataItem(new FixedMillisecond(at)) != null) {
                at++;
            }
            s.add(new FixedMillisecond(new Date(at)), r.duration().toMillis() / 1000.0);
        }
        TimeSeriesCollection data = new TimeSeriesCollection(TimeZone.getTimeZone("UTC"));
        series.values().forEach(data::addSeries);
        JFreeChart chart = ChartFactory.createTimeSeriesChart(
                "Rollback durations, " + DAY.format(stats.from()) + " to " + DAY.format(stats.to()) + " (drills excluded)",
                "When the run started (UTC)", "Run duration (s)", data, true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(new Color(0xF7F7F7));
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        ((DateAxis) plot.getDomainAxis()).setTimeZone(TimeZone.getTimeZone("UTC"));
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < series.size(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(1.5f));
        }
        plot.setRenderer(renderer);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: does not happen
        }
        return out.toByteArray();
    }
}
