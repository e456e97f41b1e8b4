package dev.tributary.emulator.firehose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * The JQ 1.6 date functions jackson-jq lacks, so {@code MetadataExtractionQuery} expressions such
 * as the Firehose documentation's {@code .event_timestamp|strftime("%Y")} work: {@code strftime/1},
 * {@code gmtime/0}, {@code mktime/0}, {@code todate/0} and {@code fromdate/0}.
 *
 * <p>Semantics follow jq 1.6 (checked against the jq 1.6 binary, outputs in
 * {@code JqTimeFunctionsTest}): a number is seconds since the epoch, turned into UTC
 * "broken down time" by {@code gmtime}: {@code [year, month (0-11), day, hours, minutes, seconds
 * (with its fraction), weekday (0 = Sunday), day of year (0-365)]}. {@code strftime} takes either;
 * an array needs at least those eight numbers, and its weekday and day of year are used as given,
 * as C's {@code strftime} does. Anything else fails with jq's message
 * {@code strftime/1 requires parsed datetime inputs}. The format takes the POSIX/glibc
 * conversions in the C locale ({@code %Y %m %d %H %M %S %j %a %A %b %B %c %C %D %e %F %g %G %h
 * %I %k %l %p %P %r %R %s %T %u %U %V %w %W %x %X %y %z %Z %n %t %%}); an unknown conversion is
 * copied as it is. The zone is always UTC ({@code %z} is {@code +0000}, {@code %Z} {@code UTC}).
 * Stateless; thread-safe.
 */
public final class JqTimeFunctions {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] DAYS = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
            "Saturday"};
    private static final String[] MONTHS = {"January", "February", "March", "April", "May", "June", "July",
            "August", "September", "October", "November", "December"};

    private JqTimeFunctions() {
    }

    /** Adds the functions to {@code scope}. */
    public static void register(Scope scope) {
        scope.addFunction("strftime", 1, (s, args, in, path, out, version) ->
                args.get(0).apply(s, in, fmt -> {
                    if (!fmt.isTextual()) {
                        throw new JsonQueryException("strftime/1 requires a string format");
                    }
                    out.emit(TextNode.valueOf(strftime(brokenDown(in, "strftime/1"), fmt.textValue())), null);
                }));
        scope.addFunction("gmtime", 0, (s, args, in, path, out, version) -> out.emit(gmtime(in), null));
        scope.addFunction("mktime", 0, (s, args, in, path, out, version) ->
                out.emit(LongNode.valueOf(epochSeconds(brokenDown(in, "mktime"))), null));
        scope.addFunction("todate", 0, (s, args, in, path, out, version) ->
                out.emit(TextNode.valueOf(strftime(brokenDown(in, "strftime/1"), "%Y-%m-%dT%H:%M:%SZ")), null));
        scope.addFunction("fromdate", 0, (s, args, in, path, out, version) -> {
            if (!in.isTextual()) {
                throw new JsonQueryException("fromdate requires string inputs");
            }
            try {
                LocalDateTime t = LocalDateTime.parse(in.textValue(),
                        java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'"));
                out.emit(LongNode.valueOf(t.toEpochSecond(ZoneOffset.UTC)), null);
            } catch (DateTimeParseException e) {
                throw new JsonQueryException("date \"" + in.textValue()
                        + "\" does not match format \"%Y-%m-%dT%H:%M:%SZ\"");
            }
        });
    }

    /** jq's {@code gmtime}: epoch seconds to UTC broken-down time (seconds keep their fraction). */
    static ArrayNode gmtime(JsonNode in) throws JsonQueryException {
        if (!in.isNumber()) {
            throw new JsonQueryException("gmtime() requires a number");
        }
        double seconds = in.doubleValue();
        long whole = (long) seconds; // jq 1.6 truncates to time_t
        LocalDateTime t;
        try {
            t = LocalDateTime.ofEpochSecond(whole, 0, ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw new JsonQueryException("gmtime() out of range");
        }
        double sec = t.getSecond() + (seconds - Math.floor(seconds));
        ArrayNode a = NODES.arrayNode();
        a.add(t.getYear()).add(t.getMonthValue() - 1).add(t.getDayOfMonth()).add(t.getHour()).add(t.getMinute());
        a.add(sec == Math.rint(sec) ? LongNode.valueOf((long) sec) : DoubleNode.valueOf(sec));
        a.add(t.getDayOfWeek().getValue() % 7).add(t.getDayOfYear() - 1);
        return a;
    }

    /** The eight fields of broken-down time from a number or an array, else jq's error for {@code fn}. */
    static long[] brokenDown(JsonNode in, String fn) throws JsonQueryException {
        JsonNode a = in.isNumber() ? gmtime(in) : in;
        if (!a.isArray() || a.size() < 8) {
            throw new JsonQueryException(fn + " requires parsed datetime inputs");
        }
        long[] tm = new long[8];
        for (int i = 0; i < 8; i++) {
            if (!a.get(i).isNumber()) {
                throw new JsonQueryException(fn + " requires parsed datetime inputs");
            }
            tm[i] = (long) a.get(i).doubleValue();
        }
        return tm;
    }

    /** C's {@code timegm}: the fields (weekday and day of year ignored) as seconds since the epoch, in UTC. */
    static long epochSeconds(long[] tm) {
        long days = java.time.LocalDate.of((int) tm[0], 1, 1).plusMonths(tm[1]).plusDays(tm[2] - 1).toEpochDay();
        return days * 86_400 + tm[3] * 3600 + tm[4] * 60 + tm[5];
    }

    /** Formats broken-down time {@code tm} as C's {@code strftime} does in the C locale and UTC. */
    static String strftime(long[] tm, String format) {
        long year = tm[0];
        int mon = (int) tm[1];
        int wday = (int) Math.floorMod(tm[6], 7);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                b.append(c);
                continue;
            }
            char d = format.charAt(++i);
            switch (d) {
                case 'a' -> b.append(DAYS[wday], 0, 3);
                case 'A' -> b.append(DAYS[wday]);
                case 'b', 'h' -> b.append(month(mon), 0, 3);
                case 'B' -> b.append(month(mon));
                case 'c' -> b.append(strftime(tm, "%a %b %e %H:%M:%S %Y"));
                case 'C' -> b.append(pad(Math.floorDiv(year, 100), 2, '0'));
                case 'd' -> b.append(pad(tm[2], 2, '0'));
                case 'D', 'x' -> b.append(strftime(tm, "%m/%d/%y"));
                case 'e' -> b.append(pad(tm[2], 2, ' '));
                case 'F' -> b.append(strftime(tm, "%Y-%m-%d"));
                case 'g' -> b.append(pad(Math.floorMod(isoYear(tm), 100), 2, '0'));
                case 'G' -> b.append(isoYear(tm));
                case 'H' -> b.append(pad(tm[3], 2, '0'));
                case 'I' -> b.append(pad(hour12(tm[3]), 2, '0'));
                case 'j' -> b.append(pad(tm[7] + 1, 3, '0'));
                case 'k' -> b.append(pad(tm[3], 2, ' '));
                case 'l' -> b.append(pad(hour12(tm[3]), 2, ' '));
                case 'm' -> b.append(pad(mon + 1, 2, '0'));
                case 'M' -> b.append(pad(tm[4], 2, '0'));
                case 'n' -> b.append('\n');
                case 'p' -> b.append(tm[3] < 12 ? "AM" : "PM");
                case 'P' -> b.append(tm[3] < 12 ? "am" : "pm");
                case 'r' -> b.append(strftime(tm, "%I:%M:%S %p"));
                case 'R' -> b.append(strftime(tm, "%H:%M"));
                case 's' -> b.append(epochSeconds(tm));
                case 'S' -> b.append(pad(tm[5], 2, '0'));
                case 't' -> b.append('\t');
                case 'T', 'X' -> b.append(strftime(tm, "%H:%M:%S"));
                case 'u' -> b.append(wday == 0 ? 7 : wday);
                case 'U' -> b.append(pad((tm[7] + 7 - wday) / 7, 2, '0'));
                case 'V' -> b.append(pad(isoWeekDays(tm) / 7 + 1, 2, '0'));
                case 'w' -> b.append(wday);
                case 'W' -> b.append(pad((tm[7] + 7 - (wday + 6) % 7) / 7, 2, '0'));
                case 'y' -> b.append(pad(Math.floorMod(year, 100), 2, '0'));
                case 'Y' -> b.append(year);
                case 'z' -> b.append("+0000");
                case 'Z' -> b.append("UTC");
                case '%' -> b.append('%');
                default -> b.append('%').append(d);
            }
        }
        return b.toString();
    }

    private static String month(int mon) {
        return mon >= 0 && mon < 12 ? MONTHS[mon] : "?";
    }

    private static long hour12(long hour) {
        long h = hour % 12;
        return h == 0 ? 12 : h;
    }

    private static String pad(long value, int width, char fill) {
        String s = Long.toString(value);
        return s.length() >= width || value < 0 ? s : String.valueOf(fill).repeat(width - s.length()) + s;
    }

    private static boolean leap(long year) {
        return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    /** Days since the Monday of ISO week 1 of the year (glibc's {@code iso_week_days}). */
    private static long isoWeekDays(long yday, long wday) {
        final long big = 378; // a multiple of 7 large enough to keep the modulus positive
        return yday - (yday - wday + 4 + big) % 7 + 3;
    }

    private static long[] iso(long[] tm) {
        long year = tm[0];
        long wday = Math.floorMod(tm[6], 7);
        long days = isoWeekDays(tm[7], wday);
        if (days < 0) {
            year--;
            days = isoWeekDays(tm[7] + (leap(year) ? 366 : 365), wday);
        } else {
            long next = isoWeekDays(tm[7] - (leap(year) ? 366 : 365), wday);
            if (next >= 0) {
                year++;
                days = next;
            }
        }
        return new long[] {year, days};
    }

    private static long isoYear(long[] tm) {
        return iso(tm)[0];
    }

    private static long isoWeekDays(long[] tm) {
        return iso(tm)[1];
    }
}
