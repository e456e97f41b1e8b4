package dev.tributary.emulator; public final class Main { public static void main(String[] a) {} }
