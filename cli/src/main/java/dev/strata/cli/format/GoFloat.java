package dev.strata.cli.format;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Go's {@code fmt} {@code %.Ng} for a float64, which docker uses to print sizes. It differs from Java's
 * {@code %g}: it rounds the exact binary value half-to-even, drops trailing zeros, and switches to
 * {@code d.ddde+XX} when the decimal exponent is below -4 or at least the precision (so 999.5 at
 * precision 3 prints {@code 1e+03}).
 */
final class GoFloat {
    private GoFloat() {
    }

    static String formatG(double value, int precision) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        int prec = Math.max(precision, 1); // Go treats %.0g as %.1g
        boolean negative = value < 0 || (value == 0 && 1 / value < 0);
        double magnitude = Math.abs(value);

        // value = 0.<digits> x 10^dp, digits without trailing zeros (empty for zero)
        String digits;
        int dp;
        if (magnitude == 0) {
            digits = "";
            dp = 0;
        } else {
            BigDecimal rounded = new BigDecimal(magnitude)
                    .round(new MathContext(prec, RoundingMode.HALF_EVEN))
                    .stripTrailingZeros();
            digits = rounded.unscaledValue().toString();
            dp = digits.length() - rounded.scale();
        }
        int nd = digits.length();

        int eprec = prec;
        if (eprec > nd && nd >= dp) {
            eprec = nd;
        }
        int exp = dp - 1;
        StringBuilder out = new StringBuilder(16);
        if (negative) {
            out.append('-');
        }
        if (exp < -4 || exp >= eprec) {
            appendE(out, digits, dp, Math.min(prec, nd) - 1);
        } else {
            int p = prec > dp ? nd : prec;
            appendF(out, digits, dp, Math.max(p - dp, 0));
        }
        return out.toString();
    }

    /**
     * Go's {@code %v} of a float64: the shortest digits that read back as the same value, written as
     * {@code d.ddde+XX} when the decimal exponent is below -4 or at least 6 (Go's precision for that choice when
     * the digits are the shortest): {@code 1.5}, {@code 100000}, {@code 1e+06}, {@code 1.234565e+06}.
     */
    static String formatShortest(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return formatG(value, 1);
        }
        boolean negative = value < 0 || (value == 0 && 1 / value < 0);
        String digits = "";
        int dp = 0;
        if (value != 0) {
            // Double.toString gives the shortest decimal that reads back as the same double
            BigDecimal d = new BigDecimal(Double.toString(Math.abs(value))).stripTrailingZeros();
            digits = d.unscaledValue().toString();
            dp = digits.length() - d.scale();
        }
        int nd = digits.length();
        int exp = dp - 1;
        StringBuilder out = new StringBuilder(24);
        if (negative) {
            out.append('-');
        }
        if (nd > 0 && (exp < -4 || exp >= 6)) {
            appendE(out, digits, dp, nd - 1);
        } else {
            appendF(out, digits, dp, Math.max(nd - dp, 0));
        }
        return out.toString();
    }

    private static void appendE(StringBuilder out, String digits, int dp, int prec) {
        int nd = digits.length();
        out.append(nd == 0 ? '0' : digits.charAt(0));
        if (prec > 0) {
            out.append('.');
            int i = 1;
            int m = Math.min(nd, prec + 1);
            if (i < m) {
                out.append(digits, i, m);
                i = m;
            }
            for (; i <= prec; i++) {
                out.append('0');
            }
        }
        out.append('e');
        int exp = nd == 0 ? 0 : dp - 1;
        if (exp < 0) {
            out.append('-');
            exp = -exp;
        } else {
            out.append('+');
        }
        if (exp < 10) {
            out.append('0');
        }
        out.append(exp);
    }

    private static void appendF(StringBuilder out, String digits, int dp, int prec) {
        int nd = digits.length();
        if (dp > 0) {
            int m = Math.min(nd, dp);
            out.append(digits, 0, m);
            for (; m < dp; m++) {
                out.append('0');
            }
        } else {
            out.append('0');
        }
        if (prec > 0) {
            out.append('.');
            for (int i = 1; i <= prec; i++) {
                int j = dp + i - 1;
                out.append(j >= 0 && j < nd ? digits.charAt(j) : '0');
            }
        }
    }
}
