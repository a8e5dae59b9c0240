import Foundation

/// What kind of number an indicator counts: decides which values are accepted.
public enum IndicatorScale: String, Codable, Sendable, CaseIterable {
    /// Whole numbers from 0 ("persons guided").
    case count
    /// 0 to 100.
    case percent
    /// A sum of money, 0 or more, with cents.
    case amount
}

/// The rules an indicator's values follow, and the reading of a typed value ("12", "12 persons", "12,5 %").
public struct IndicatorRule: Sendable, Equatable {
    public var scale: IndicatorScale
    /// The unit's names as people type them, in every language ("person", "persoon").
    public var unitNames: [String]
    public var maximum: Double?

    public init(scale: IndicatorScale, unitNames: [String], maximum: Double? = nil) {
        self.scale = scale; self.unitNames = unitNames; self.maximum = maximum
    }

    public enum Problem: Error, Sendable, Equatable {
        case empty
        /// Not a number at all ("many").
        case notANumber(String)
        /// A number followed by another unit than the indicator's ("12 %" for persons).
        case wrongUnit(given: String)
        /// A fraction where whole numbers are counted.
        case notWhole(Double)
        case belowMinimum(Double, minimum: Double)
        case aboveMaximum(Double, maximum: Double)
    }

    public var minimum: Double { 0 }
    public var effectiveMaximum: Double? {
        switch scale {
        case .percent: return min(maximum ?? 100, 100)
        default: return maximum
        }
    }

    /// Reads a typed value. A decimal comma is accepted; a unit after the number must be the indicator's own.
    public func read(_ raw: String) -> Result<Double, Problem> {
        var text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return .failure(.empty) }
        // A currency sign before an amount ("€ 12,50").
        if scale == .amount, text.hasPrefix("€") { text = String(text.dropFirst()).trimmingCharacters(in: .whitespaces) }
        // Split the leading number from what follows it.
        var numberPart = ""
        var rest = Substring(text)
        while let c = rest.first, c.isASCII && (c.isNumber || c == "." || c == "," || c == "-" || c == "+") {
            numberPart.append(c)
            rest = rest.dropFirst()
        }
        let unit = rest.trimmingCharacters(in: .whitespaces)
        guard !numberPart.isEmpty, let normalised = Money.normalise(numberPart), let read = Double(normalised), read.isFinite else {
            return .failure(.notANumber(text))
        }
        let value = read == 0 ? 0 : read // "-0" is 0
        // "1e308": an exponent is not a unit; such numbers are refused as numbers.
        if let e = unit.first, e == "e" || e == "E", unit.dropFirst().first.map({ $0.isNumber || $0 == "-" || $0 == "+" }) == true {
            return .failure(.notANumber(text))
        }
        if !unit.isEmpty && !accepts(unit: unit) { return .failure(.wrongUnit(given: unit)) }
        if value < -Numbers.largest { return .failure(.belowMinimum(value, minimum: minimum)) }
        if value > Numbers.largest { return .failure(.aboveMaximum(value, maximum: effectiveMaximum ?? Numbers.largest)) }
        if value < minimum { return .failure(.belowMinimum(value, minimum: minimum)) }
        if let m = effectiveMaximum, value > m { return .failure(.aboveMaximum(value, maximum: m)) }
        if scale == .count && value.rounded() != value { return .failure(.notWhole(value)) }
        return .success(scale == .amount ? (value * 100).rounded() / 100 : value)
    }

    func accepts(unit: String) -> Bool {
        let u = unit.lowercased()
        switch scale {
        case .percent: if u == "%" || u == "percent" || u == "procent" { return true }
        case .amount: if ["eur", "€", "euro", "euros"].contains(u) { return true }
        case .count: break
        }
        for name in unitNames.map({ $0.lowercased() }) where !name.isEmpty {
            // Singular and the plural forms people type ("person", "persons", "persoon", "personen").
            if u == name || u == name + "s" || u == name + "en" || u == name + "es" || u == name + "n" { return true }
            if name.hasSuffix("y"), u == name.dropLast() + "ies" { return true }
            if name.hasSuffix("person"), u == name.dropLast(6) + "people" { return true }
            if name.hasSuffix("persoon"), u == name.dropLast(7) + "personen" { return true }
        }
        return false
    }
}

/// Budgets as typed: "12500", "12 500", "12.500,50", "€ 12,500.50", "100 euro".
public enum Money {
    /// A typed number with separators as a plain decimal ("12.500,50" → "12500.50"): the last separator followed by
    /// one or two digits is the decimal one, one followed by three digits groups thousands ("1.000" and "1,000" are
    /// a thousand), and the others group thousands too. Nil when the separators make no sense ("1,2,3").
    public static func normalise(_ text: String) -> String? {
        guard let last = text.lastIndex(where: { $0 == "." || $0 == "," }) else { return text }
        let decimals = text[text.index(after: last)...]
        let whole = text[..<last]
        // Grouping separators sit before groups of three digits.
        let groups = whole.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "." || $0 == "," })
        if groups.count > 1, groups.dropFirst().contains(where: { $0.count != 3 }) { return nil }
        if decimals.count == 3 { return whole.filter { $0 != "." && $0 != "," } + decimals }
        guard !decimals.isEmpty, decimals.count <= 2 || groups.count == 1 else { return nil }
        return whole.filter { $0 != "." && $0 != "," } + "." + decimals
    }

    public enum Problem: Error, Sendable, Equatable {
        case notANumber(String), negative
        /// Beyond `Numbers.largest` (a thousand billion euros): a typing error, and past what cents can be kept for.
        case tooLarge(String)
        /// Above the cap the action allows (units × euros per unit).
        case aboveCap(cap: Double)

        public var key: String {
            switch self {
            case .notANumber: "error.budget.notANumber"
            case .negative: "error.budget.negative"
            case .tooLarge: "error.budget.tooLarge"
            case .aboveCap: "error.budget.aboveCap"
            }
        }
        public var arguments: [String] {
            switch self {
            case .notANumber(let s), .tooLarge(let s): [s]
            case .negative: []
            case .aboveCap(let cap): [cap.plainText]
            }
        }
    }

    public static func read(_ raw: String) -> Result<Double?, Problem> {
        var text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return .success(nil) }
        text = text.replacingOccurrences(of: "€", with: "")
        // A currency name before or after the number ("EUR 100", "100 euro").
        for name in ["euros", "euro", "eur"] {
            if text.lowercased().hasSuffix(name) { text = String(text.dropLast(name.count)); break }
            if text.lowercased().hasPrefix(name) { text = String(text.dropFirst(name.count)); break }
        }
        text = text.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\u{00A0}", with: "")
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "," || $0 == "-") }),
              let normalised = normalise(text), let v = Double(normalised), v.isFinite else { return .failure(.notANumber(raw)) }
        if v < 0 { return .failure(.negative) }
        if v > Numbers.largest { return .failure(.tooLarge(raw)) }
        return .success((v * 100).rounded() / 100)
    }
}
