import Foundation

/// Markup built by compiled Swift. Interpolated strings are escaped; interpolated `HTML` is trusted.
/// So `HTML("<p>\(name)</p>")` can never inject markup through `name`.
public struct HTML: ExpressibleByStringInterpolation, Sendable, CustomStringConvertible {
    public var raw: String

    public init(raw: String) { self.raw = raw }
    public init(stringLiteral value: String) { raw = value }
    public init(stringInterpolation: StringInterpolation) { raw = stringInterpolation.out }
    public var description: String { raw }
    public static let empty = HTML(raw: "")

    public struct StringInterpolation: StringInterpolationProtocol {
        var out: String
        public init(literalCapacity: Int, interpolationCount: Int) {
            out = ""
            out.reserveCapacity(literalCapacity + interpolationCount * 16)
        }
        public mutating func appendLiteral(_ literal: String) { out += literal }
        public mutating func appendInterpolation(_ text: String) { HTML.escape(text, into: &out) }
        public mutating func appendInterpolation(_ text: Substring) { HTML.escape(String(text), into: &out) }
        public mutating func appendInterpolation(_ text: String?) { if let text { HTML.escape(text, into: &out) } }
        public mutating func appendInterpolation(_ html: HTML) { out += html.raw }
        public mutating func appendInterpolation(_ html: HTML?) { if let html { out += html.raw } }
        public mutating func appendInterpolation(_ parts: [HTML]) { for p in parts { out += p.raw } }
        public mutating func appendInterpolation(_ number: Int) { out += String(number) }
    }

    public static func escape(_ text: String, into out: inout String) {
        // Most text has nothing to escape: append it whole.
        if !text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) {
            out += text
            return
        }
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
    }

    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        escape(text, into: &out)
        return out
    }

    /// Each table of `html` inside its own box that scrolls sideways when the table is wider than the screen (a
    /// phone), so that the page itself never does. The box can take the focus (to scroll by keyboard) and is a
    /// region named by the table's caption, or by `fallbackLabel`.
    public static func scrollableTables(_ html: HTML, fallbackLabel: String) -> HTML {
        let raw = html.raw
        guard raw.contains("<table") else { return html }
        var out = ""
        out.reserveCapacity(raw.utf8.count + 256)
        var rest = raw[...]
        while let open = rest.range(of: "<table"), let close = rest[open.lowerBound...].range(of: "</table>") {
            out += rest[..<open.lowerBound]
            let table = rest[open.lowerBound..<close.upperBound]
            var label = escape(fallbackLabel)
            if let c0 = table.range(of: "<caption"), let gt = table[c0.upperBound...].range(of: ">"),
               let c1 = table[gt.upperBound...].range(of: "</caption>") {
                // The caption is markup already escaped; its tags are dropped, its quotes kept out of the attribute.
                let caption = table[gt.upperBound..<c1.lowerBound]
                    .replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                if !caption.isEmpty { label = caption.replacingOccurrences(of: "\"", with: "&quot;") }
            }
            out += "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"\(label)\">"
            out += table
            out += "</div>"
            rest = rest[close.upperBound...]
        }
        out += rest
        return HTML(raw: out)
    }

    /// Joins parts of markup.
    public static func join(_ parts: [HTML], separator: HTML = .empty) -> HTML {
        HTML(raw: parts.map(\.raw).joined(separator: separator.raw))
    }

    /// `attr` renders ` name="value"` when value is present.
    public static func attr(_ name: String, _ value: String?) -> HTML {
        guard let value else { return .empty }
        return HTML(raw: " \(name)=\"\(escape(value))\"")
    }

    public static func when(_ condition: Bool, _ html: @autoclosure () -> HTML) -> HTML { condition ? html() : .empty }

    /// One markup or the other. (`c ? "<p>…" : "<ul>…"` inside an interpolation makes a String of two literals,
    /// which is then escaped; this keeps both branches markup.)
    public static func either(_ condition: Bool, _ a: @autoclosure () -> HTML, _ b: @autoclosure () -> HTML) -> HTML { condition ? a() : b() }
}
