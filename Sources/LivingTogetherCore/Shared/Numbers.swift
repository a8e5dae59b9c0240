import Foundation

/// Numbers that came from people: converted and shown without ever trapping.
///
/// `Int(someDouble)` stops the process when the value is NaN, infinite or beyond `Int`'s range; a typed
/// "999999999999999999999" is a finite Double of 1e21. Every conversion of a Double for display or storage goes
/// through these functions instead, and every typed number is read by `Numbers.read`, which refuses what no
/// indicator, budget, age or count can mean.
public enum Numbers {
    /// The largest magnitude a typed number may have (a thousand billion: more than any municipal budget or count).
    /// Beyond it a Double no longer holds cents exactly, so such a value is refused where it is typed.
    public static let largest: Double = 1_000_000_000_000

    /// Reads a plain decimal ("12", "-3.5"); nil for text, NaN, infinities, hexadecimal and magnitudes beyond
    /// `largest`. Swift's `Double("nan")`, `Double("inf")` and `Double("0x10")` all succeed, so they are refused here.
    public static func read(_ text: String) -> Double? {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !t.isEmpty, t.count <= 40,
              t.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-" || $0 == "+" || $0 == "e" || $0 == "E") }),
              let d = Double(t), d.isFinite, abs(d) <= largest else { return nil }
        return d == 0 ? 0 : d // "-0" is 0
    }

    /// Reads a whole number typed by a person ("42", " 7 "); nil for fractions ("1.5"), text, and numbers beyond
    /// `Int`'s range. Unlike `Int(text)` it also ignores surrounding spaces.
    public static func readWhole(_ text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard t.count <= 19 else { return nil }
        return Int(t)
    }
}

public extension Double {
    /// This value as an `Int` when it is a whole number an `Int` holds exactly; nil for fractions, NaN, infinities
    /// and magnitudes of 2^53 or more.
    var wholeNumber: Int? {
        guard isFinite, rounded() == self, abs(self) < 9_007_199_254_740_992 else { return nil }
        return Int(self)
    }

    /// This value rounded to the nearest `Int`, clamped to ±2^53 (and 0 for NaN): for positions, percentages and
    /// distances that are shown, never for amounts that are stored.
    var roundedClamped: Int {
        guard !isNaN else { return 0 }
        let limit = 9_007_199_254_740_992.0
        return Int(Swift.min(Swift.max(rounded(), -limit), limit))
    }

    /// "12" for a whole number, "12.5" otherwise, "1.0e+21" beyond the whole numbers an Int holds; never traps.
    var plainText: String { wholeNumber.map(String.init) ?? (self == 0 ? "0" : String(self)) }
}
