package dev.tributary.analytics;

/** Placeholder until the analytics issue: the streaming SQL runtime lives here. */
final class AnalyticsModule {
    private AnalyticsModule() {
    }
}
