package dev.rollbackbot;
public class Main { public static void main(String[] a) {} }
