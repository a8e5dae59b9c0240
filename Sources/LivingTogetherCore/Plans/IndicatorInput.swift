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
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return .failure(.empty) }
        // Split the leading number from what follows it.
        var numberPart = ""
        var rest = Substring(text)
        while let c = rest.first, c.isASCII && (c.isNumber || c == "." || c == "," || c == "-" || c == "+") {
            numberPart.append(c)
            rest = rest.dropFirst()
        }
        let unit = rest.trimmingCharacters(in: .whitespaces)
        let normalised = numberPart.replacingOccurrences(of: ",", with: ".")
        guard !numberPart.isEmpty, normalised.filter({ $0 == "." }).count <= 1, let value = Double(normalised), value.isFinite else {
            return .failure(.notANumber(text))
        }
        if !unit.isEmpty && !accepts(unit: unit) { return .failure(.wrongUnit(given: unit)) }
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

/// Budgets as typed: "12500", "12 500", "12.500,50", "€ 12,500.50".
public enum Money {
    public enum Problem: Error, Sendable, Equatable { case notANumber(String), negative }

    public static func read(_ raw: String) -> Result<Double?, Problem> {
        var text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return .success(nil) }
        for sign in ["€", "EUR", "eur"] { text = text.replacingOccurrences(of: sign, with: "") }
        text = text.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\u{00A0}", with: "")
        guard !text.isEmpty, text.allSatisfy({ $0.isNumber || $0 == "." || $0 == "," || $0 == "-" }) else { return .failure(.notANumber(raw)) }
        // The last separator followed by one or two digits is the decimal one; the others group thousands.
        var normalised = text
        if let last = text.lastIndex(where: { $0 == "." || $0 == "," }) {
            let decimals = text[text.index(after: last)...]
            if decimals.count <= 2 {
                normalised = text[..<last].filter { $0 != "." && $0 != "," } + "." + decimals
            } else {
                normalised = text.filter { $0 != "." && $0 != "," }
            }
        }
        guard let v = Double(normalised), v.isFinite else { return .failure(.notANumber(raw)) }
        if v < 0 { return .failure(.negative) }
        return .success((v * 100).rounded() / 100)
    }
}
