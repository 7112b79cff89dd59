package org.reasonrl.data;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Evaluates the arithmetic of a calculator annotation: numbers (with optional decimals and
 * thousands commas), {@code + - * /}, parentheses and unary minus. Used to check that every
 * worked step is right, independently of the code that wrote it.
 */
public final class Calculator {

  private final String text;
  private int pos;

  private Calculator(String text) {
    this.text = text.replace(" ", "");
  }

  /** The value of {@code expression}; {@link IllegalArgumentException} when it is not one. */
  public static BigDecimal evaluate(String expression) {
    Calculator c = new Calculator(expression);
    BigDecimal value = c.sum();
    if (c.pos != c.text.length()) {
      throw new IllegalArgumentException(
          "unexpected '" + c.text.charAt(c.pos) + "' at " + c.pos + " in '" + expression + "'");
    }
    return value;
  }

  /**
   * True when an annotation body {@code expr=result} evaluates to its stated result, within
   * {@code tolerance} (GSM8K rounds some results, e.g. {@code 10/3=3.33}).
   */
  public static boolean checks(String annotationBody, BigDecimal tolerance) {
    int eq = annotationBody.lastIndexOf('=');
    if (eq < 0) {
      return false;
    }
    BigDecimal stated = Answers.numericValue(annotationBody.substring(eq + 1));
    if (stated == null) {
      return false;
    }
    BigDecimal actual = evaluate(annotationBody.substring(0, eq));
    return actual.subtract(stated).abs().compareTo(tolerance) <= 0;
  }

  private BigDecimal sum() {
    BigDecimal value = product();
    while (pos < text.length() && (peek() == '+' || peek() == '-')) {
      char op = text.charAt(pos++);
      BigDecimal right = product();
      value = op == '+' ? value.add(right) : value.subtract(right);
    }
    return value;
  }

  private BigDecimal product() {
    BigDecimal value = unary();
    while (pos < text.length() && (peek() == '*' || peek() == '/')) {
      char op = text.charAt(pos++);
      BigDecimal right = unary();
      if (op == '*') {
        value = value.multiply(right);
      } else {
        if (right.signum() == 0) {
          throw new IllegalArgumentException("division by zero in '" + text + "'");
        }
        value = value.divide(right, MathContext.DECIMAL64);
      }
    }
    return value;
  }

  private BigDecimal unary() {
    if (pos < text.length() && peek() == '-') {
      pos++;
      return unary().negate();
    }
    if (pos < text.length() && peek() == '+') {
      pos++;
      return unary();
    }
    if (pos < text.length() && peek() == '(') {
      pos++;
      BigDecimal value = sum();
      expect(')');
      return value;
    }
    return number();
  }

  private BigDecimal number() {
    int start = pos;
    while (pos < text.length()
        && (Character.isDigit(peek()) || peek() == '.' || peek() == ',')) {
      pos++;
    }
    if (start == pos) {
      throw new IllegalArgumentException(
          "expected a number at " + pos + " in '" + text + "'");
    }
    try {
      return new BigDecimal(text.substring(start, pos).replace(",", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "bad number '" + text.substring(start, pos) + "' in '" + text + "'", e);
    }
  }

  private void expect(char c) {
    if (pos >= text.length() || peek() != c) {
      throw new IllegalArgumentException("expected '" + c + "' at " + pos + " in '" + text + "'");
    }
    pos++;
  }

  private char peek() {
    return text.charAt(pos);
  }
}
