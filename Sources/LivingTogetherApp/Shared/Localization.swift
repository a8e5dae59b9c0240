import Foundation

/// The interface languages. English is the reference; a string missing in another language falls
/// back to English (a test keeps every language's file complete). Content texts that fall back are
/// marked visibly where they are shown (`BenchmarkViews.text`).
public enum Language: String, CaseIterable, Sendable {
    case en, nl

    public var name: String {
        switch self { case .en: return "English"; case .nl: return "Nederlands" }
    }

    /// Picks the best language from an Accept-Language header ("nl-BE,nl;q=0.9,en;q=0.8").
    public static func negotiate(_ header: String?) -> Language {
        guard let header, !header.isEmpty else { return .en }
        var best: (Language, Double)? = nil
        for part in header.split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first?.lowercased() else { continue }
            var q = 1.0
            for p in pieces.dropFirst() where p.hasPrefix("q=") { q = Double(p.dropFirst(2)) ?? 0 }
            let primary = String(tag.split(separator: "-").first ?? "")
            if let l = Language(rawValue: primary), q > 0, q > (best?.1 ?? -1) { best = (l, q) }
        }
        return best?.0 ?? .en
    }
}

/// Interface strings of all languages, read once from the bundled `Locales/*.json` files.
public struct Strings: Sendable {
    public let tables: [Language: [String: String]]

    public static let shared: Strings = {
        var tables: [Language: [String: String]] = [:]
        // Each language has its main file (en.json) and one file per module (plans.en.json), merged.
        let folder = (try? BundledResource.url("en", "json", in: "Resources/Locales"))?.deletingLastPathComponent()
        let files = (folder.flatMap { try? FileManager.default.contentsOfDirectory(atPath: $0.path) } ?? []).sorted()
        for language in Language.allCases {
            guard let folder, files.contains("\(language.rawValue).json") else {
                fatalError("The interface strings for \(language.rawValue) are missing from the app bundle (Resources/Locales/\(language.rawValue).json)")
            }
            var table: [String: String] = [:]
            for file in files where file == "\(language.rawValue).json" || file.hasSuffix(".\(language.rawValue).json") {
                guard let data = try? Data(contentsOf: folder.appendingPathComponent(file)),
                      let part = try? JSONDecoder().decode([String: String].self, from: data) else {
                    fatalError("Resources/Locales/\(file) is not a JSON object of strings")
                }
                for (key, value) in part {
                    if table[key] != nil { fatalError("Resources/Locales/\(file) repeats the key \(key)") }
                    table[key] = value
                }
            }
            tables[language] = table
        }
        return Strings(tables: tables)
    }()

    /// Looks a key up; `{0}`, `{1}` … are replaced by the arguments. A key missing in the language
    /// falls back to English; a key missing everywhere shows itself, so that it is noticed.
    /// "{0}", "{1}" … replaced by the arguments in one pass over the bytes; a placeholder without an argument stays.
    static func substitute(_ s: String, _ args: [String]) -> String {
        let bytes = Array(s.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + args.reduce(0) { $0 + $1.utf8.count })
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x7B {
                var j = i + 1, n = 0, digits = 0
                while j < bytes.count, bytes[j] >= 0x30, bytes[j] <= 0x39, digits < 3 { n = n * 10 + Int(bytes[j] - 0x30); j += 1; digits += 1 }
                if digits > 0, j < bytes.count, bytes[j] == 0x7D, n < args.count {
                    out.append(contentsOf: args[n].utf8)
                    i = j + 1
                    continue
                }
            }
            out.append(bytes[i]); i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    public func has(_ key: String, _ language: Language) -> Bool { tables[language]?[key] != nil || tables[.en]?[key] != nil }

    public func text(_ key: String, _ language: Language, _ args: [String] = []) -> String {
        var s = tables[language]?[key] ?? tables[.en]?[key] ?? key
        guard !args.isEmpty, s.utf8.contains(0x7B) else { return s }
        return Self.substitute(s, args)
    }

}

/// The strings of one language, as handed to views.
public struct Translator: Sendable {
    public let language: Language
    /// The words of one kind of content ("person": a person-to-person programme speaks of visits, not work visits):
    /// a key's "<key>.<variant>" form is used where the tables have it.
    public private(set) var variant: String? = nil
    public init(_ language: Language) { self.language = language }

    /// This translator speaking the words of `variant` (nil: the plain words).
    public func speaking(_ variant: String?) -> Translator {
        var t = self
        t.variant = variant
        return t
    }

    private func chosen(_ key: String) -> String {
        guard let variant else { return key }
        let specific = key + "." + variant
        return Strings.shared.has(specific, language) ? specific : key
    }

    /// Whether the tables have the key (in this language or in English).
    public func has(_ key: String) -> Bool { Strings.shared.has(key, language) }

    public func callAsFunction(_ key: String, _ args: String...) -> String {
        Strings.shared.text(chosen(key), language, args)
    }
    public func callAsFunction(_ key: String, args: [String]) -> String {
        Strings.shared.text(chosen(key), language, args)
    }

    /// A message about a number of things: the key's ".one" form when `count` is 1 (English and Dutch both have
    /// one singular form: "1 member", "1 lid"), the key itself otherwise ("3 members").
    public func plural(_ key: String, count: Double, _ args: String...) -> String {
        let one = key + ".one"
        return Strings.shared.text(chosen(count == 1 && Strings.shared.has(one, language) ? one : key), language, args)
    }


    public func number(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(language == .nl ? "." : ",") }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }
}
