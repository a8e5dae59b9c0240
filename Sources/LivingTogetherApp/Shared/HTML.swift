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
        // Byte search on the UTF-8 text: Foundation's string search would convert every page to UTF-16 first.
        let bytes = Array(html.raw.utf8)
        func find(_ needle: StaticString, from: Int, before end: Int) -> Int? {
            let n = needle.utf8CodeUnitCount
            guard n > 0, end - from >= n else { return nil }
            return needle.withUTF8Buffer { pattern -> Int? in
                let first = pattern[0]
                var i = from
                while i <= end - n {
                    if bytes[i] == first {
                        var j = 1
                        while j < n && bytes[i + j] == pattern[j] { j += 1 }
                        if j == n { return i }
                    }
                    i += 1
                }
                return nil
            }
        }
        guard find("<table", from: 0, before: bytes.count) != nil else { return html }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 256)
        var position = 0
        while let open = find("<table", from: position, before: bytes.count),
              let close = find("</table>", from: open, before: bytes.count) {
            let tableEnd = close + 8
            out.append(contentsOf: bytes[position..<open])
            var label = escape(fallbackLabel)
            if let c0 = find("<caption", from: open, before: tableEnd),
               let gt = bytes[c0..<tableEnd].firstIndex(of: UInt8(ascii: ">")),
               let c1 = find("</caption>", from: gt, before: tableEnd) {
                // The caption is markup already escaped; its tags are dropped, its quotes kept out of the attribute.
                var text: [UInt8] = []
                var inTag = false
                for b in bytes[(gt + 1)..<c1] {
                    if b == UInt8(ascii: "<") { inTag = true } else if b == UInt8(ascii: ">") { inTag = false } else if !inTag { text.append(b) }
                }
                let caption = String(decoding: text, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                if !caption.isEmpty { label = caption.replacingOccurrences(of: "\"", with: "&quot;") }
            }
            out.append(contentsOf: Array("<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"\(label)\">".utf8))
            out.append(contentsOf: bytes[open..<tableEnd])
            out.append(contentsOf: Array("</div>".utf8))
            position = tableEnd
        }
        out.append(contentsOf: bytes[position...])
        return HTML(raw: String(decoding: out, as: UTF8.self))
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
