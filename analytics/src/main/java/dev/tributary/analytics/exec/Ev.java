package dev.tributary.analytics.exec;

/** A compiled expression, evaluated against one row's values and ROWTIME. */
@FunctionalInterface
interface Ev {
    Object eval(Object[] values, long rowtime);
}
