import Foundation

/// Text folded for searching: lower case, without accents, so that "malmo" finds "Malmö" and
/// "livadeia" finds "Livadeiá". Letters that Unicode does not decompose (ø, ł, đ, ß, æ, œ, þ, ı)
/// are mapped by hand, as a European directory needs.
public enum SearchText {
    /// The letters Unicode does not decompose, as folded.
    static func extra(_ scalar: Unicode.Scalar) -> String? {
        switch scalar {
        case "ø": return "o"
        case "ł": return "l"
        case "đ", "ð": return "d"
        case "ß": return "ss"
        case "æ": return "ae"
        case "œ": return "oe"
        case "þ": return "th"
        case "ı": return "i"
        case "ħ": return "h"
        default: return nil
        }
    }

    /// Lower case without accents. ASCII (most of every text) is folded byte by byte; each run of other characters
    /// goes through Unicode's lower-casing and canonical decomposition (the search index folds millions of words).
    public static func fold(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: text.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
        }
        var out = String.UnicodeScalarView()
        var pending = String.UnicodeScalarView()
        func flush() {
            guard !pending.isEmpty else { return }
            out.append(contentsOf: foldUnicode(String(pending)).unicodeScalars)
            pending = String.UnicodeScalarView()
        }
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                flush()
                let v = UInt8(truncatingIfNeeded: scalar.value)
                out.append(Unicode.Scalar(v >= 65 && v <= 90 ? v + 32 : v))
            } else {
                pending.append(scalar)
            }
        }
        flush()
        return String(out)
    }

    /// The full folding of any text: lower case, canonical decomposition, combining accents dropped, and the letters
    /// of `extra` mapped.
    static func foldUnicode(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            // Combining marks (accents) are dropped.
            if (0x0300...0x036F).contains(scalar.value) { continue }
            if let mapped = extra(scalar) { out.append(contentsOf: mapped.unicodeScalars) } else { out.append(scalar) }
        }
        return String(out)
    }

    /// The words of a folded text: runs of letters and digits (and the marks that belong to a letter).
    public static func words(_ folded: String) -> [Substring] {
        let scalars = folded.unicodeScalars
        var out: [Substring] = []
        var start: String.Index? = nil
        var i = scalars.startIndex
        while i != scalars.endIndex {
            if isWordScalar(scalars[i]) {
                if start == nil { start = i }
            } else if let s = start {
                out.append(Substring(scalars[s..<i]))
                start = nil
            }
            i = scalars.index(after: i)
        }
        if let s = start { out.append(Substring(scalars[s..<scalars.endIndex])) }
        return out
    }

    static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII {
            let v = s.value
            return (v >= 97 && v <= 122) || (v >= 65 && v <= 90) || (v >= 48 && v <= 57)
        }
        let p = s.properties
        switch p.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return p.isAlphabetic || p.numericType != nil
        }
    }
}
