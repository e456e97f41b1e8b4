package dev.tributary.emulator.console;

import dev.tributary.emulator.time.ControlClock;
import java.util.Map;

/**
 * The virtual clock and the injected faults. The page shows the clock as rendered; its buttons
 * call the existing control endpoints ({@code POST /_tributary/clock/advance|pin|unpin},
 * {@code GET /_tributary/faults}, {@code POST /_tributary/faults/clear}) from console.js, which
 * redraws from their answers.
 *
 * <p>Thread-safe: stateless.
 */
final class ClockPage implements ConsoleHandler.Section {
    private final ControlClock clock;

    ClockPage(ControlClock clock) {
        this.clock = clock;
    }

    @Override
    public String id() {
        return "control";
    }

    @Override
    public String title() {
        return "Clock & faults";
    }

    @Override
    public void render(Html h, Map<String, String> query) {
        h.el("h1", "Virtual clock");
        h.raw("<dl class=\"facts\" id=\"clock\"><dt>Now</dt><dd id=\"clock-now\">").text(clock.instant())
                .raw("</dd><dt>Pinned</dt><dd id=\"clock-pinned\">").text(clock.isPinned())
                .raw("</dd><dt>Offset from the system clock</dt><dd id=\"clock-offset\">")
                .text(clock.offset().toMillis() + " ms").raw("</dd></dl>");
        h.raw("<form id=\"clock-advance\" class=\"controls\"><label>Advance by <input name=\"seconds\" type=\"number\" "
                + "min=\"0\" step=\"any\" value=\"60\" size=\"8\"> seconds</label> <button type=\"submit\">Advance</button>"
                + " <button type=\"button\" id=\"clock-pin\">Pin (freeze) now</button>"
                + " <button type=\"button\" id=\"clock-unpin\">Unpin</button></form>");
        h.raw("<p class=\"hint\">Advancing also applies retention and delivers Firehose buffers that are due. "
                + "The same calls over HTTP: docs/test-control.md.</p>");
        h.el("h1", "Injected faults");
        h.raw("<p><button type=\"button\" id=\"faults-clear\">Clear all faults</button></p>");
        h.raw("<table id=\"faults\" class=\"faults\"><thead><tr><th>Id</th><th>Rule</th></tr></thead>"
                + "<tbody><tr><td colspan=\"2\">Loading…</td></tr></tbody></table>");
        h.raw("<p class=\"hint\">Add faults with <code>POST /_tributary/faults/errors</code> or "
                + "<code>/_tributary/faults/kinesis/throttle</code>; forced throttles are not listed, but clearing "
                + "removes them too.</p>");
    }
}
