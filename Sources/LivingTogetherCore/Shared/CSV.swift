import Foundation

/// A small RFC 4180 CSV reader: fields separated by commas, optionally quoted with double quotes
/// (a quote inside a quoted field is written twice). Records are physical lines: a quoted field may
/// not span lines, which keeps line numbers in error messages true to the file.
public enum CSV {
    public enum LineError: Error, Equatable, Sendable {
        case unterminatedQuote
        case textAfterClosingQuote
    }

    public static func fields(of line: Substring) -> Result<[String], LineError> {
        var fields: [String] = []
        var current = ""
        var inQuotes = false
        var afterClosingQuote = false
        var iterator = line.makeIterator()
        var pending: Character? = nil
        while let ch = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if ch == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { current.append("\"") } else { inQuotes = false; afterClosingQuote = true; pending = next }
                    } else {
                        inQuotes = false; afterClosingQuote = true
                    }
                } else {
                    current.append(ch)
                }
            } else if ch == "," {
                fields.append(current); current = ""; afterClosingQuote = false
            } else if afterClosingQuote {
                return .failure(.textAfterClosingQuote)
            } else if ch == "\"" && current.isEmpty {
                inQuotes = true
            } else {
                current.append(ch)
            }
        }
        if inQuotes { return .failure(.unterminatedQuote) }
        fields.append(current)
        return .success(fields)
    }

    /// The physical lines of a text, split at LF or CRLF (a CRLF pair is one Character in Swift, so
    /// splitting Characters at "\n" would miss it). A final empty line is dropped.
    public static func lines(_ text: String) -> [Substring] {
        var result: [Substring] = []
        let utf8 = text.utf8
        var start = utf8.startIndex
        var i = start
        while i != utf8.endIndex {
            if utf8[i] == UInt8(ascii: "\n") {
                var end = i
                if end > start, utf8[utf8.index(before: end)] == UInt8(ascii: "\r") { end = utf8.index(before: end) }
                result.append(text[start..<end])
                start = utf8.index(after: i)
            }
            i = utf8.index(after: i)
        }
        if start != utf8.endIndex { result.append(text[start..<utf8.endIndex]) }
        return result
    }

    /// Quotes a field when it needs it.
    public static func escape(_ field: String) -> String {
        if field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return field
    }

    public static func line(_ fields: [String]) -> String { fields.map(escape).joined(separator: ",") }

    /// A field people typed, made safe to open in a spreadsheet: one starting like a formula ("=", "+", "-", "@")
    /// gets a leading apostrophe, so it is shown, not run.
    public static func neutralised(_ field: String) -> String {
        guard let first = field.first, "=+-@\t\r".contains(first) else { return field }
        return "'" + field
    }
}
