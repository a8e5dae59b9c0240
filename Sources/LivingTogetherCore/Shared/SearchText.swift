import Foundation

/// Text folded for searching: lower case, without accents, so that "malmo" finds "Malmö" and
/// "livadeia" finds "Livadeiá". Letters that Unicode does not decompose (ø, ł, đ, ß, æ, œ, þ, ı)
/// are mapped by hand, as a European directory needs.
public enum SearchText {
    private static let extra: [Character: String] = [
        "ø": "o", "ł": "l", "đ": "d", "ð": "d", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th", "ı": "i", "ħ": "h",
    ]

    public static func fold(_ text: String) -> String {
        let lowered = text.lowercased()
        var out = String.UnicodeScalarView()
        for scalar in lowered.decomposedStringWithCanonicalMapping.unicodeScalars {
            // Combining marks (accents) are dropped.
            if (0x0300...0x036F).contains(scalar.value) { continue }
            if let mapped = extra[Character(scalar)] {
                out.append(contentsOf: mapped.unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// The words of a folded text: runs of letters and digits.
    public static func words(_ folded: String) -> [Substring] {
        folded.split(whereSeparator: { !($0.isLetter || $0.isNumber) })
    }
}
