import Foundation

/// Collects the problems of one content file (benchmark framework, action catalogue, …), each with the
/// file, the path of the field and what is wrong, so that every loader checks texts and ids the same way.
public struct ContentChecker {
    /// The languages every text must have.
    public static let requiredLanguages = ["en", "nl"]

    public let file: String
    public private(set) var errors: [FrameworkError] = []

    public init(file: String) { self.file = file }

    public mutating func fail(_ path: String, _ problem: String) {
        errors.append(FrameworkError(file: file, path: path, problem: problem))
    }

    /// Every required language present and not blank.
    public mutating func text(_ t: LocalizedText, _ path: String) {
        for lang in Self.requiredLanguages {
            let v = t.values[lang]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if t.values[lang] == nil { fail("\(path).\(lang)", "the \(lang == "en" ? "English" : lang == "nl" ? "Dutch" : lang) translation is missing") }
            else if v.isEmpty { fail("\(path).\(lang)", "the text is empty") }
        }
    }

    /// Lower-case letters, digits and single hyphens, starting with a letter.
    /// The longest id a framework, catalogue or rule set may use.
    public static let maximumIdentifierLength = 64

    public mutating func identifier(_ id: String, _ path: String) {
        let shown = id.count > 80 ? String(id.prefix(80)) + "…" : id
        guard id.count <= Self.maximumIdentifierLength else {
            fail(path, "\"\(shown)\" is longer than \(Self.maximumIdentifierLength) characters: ids are short names")
            return
        }
        let ok = id.first?.isLetter == true
            && id.allSatisfy { ($0.isLetter && $0.isLowercase && $0.isASCII) || $0.isNumber || $0 == "-" }
            && !id.hasSuffix("-") && !id.contains("--")
        if !ok { fail(path, "\"\(shown)\" is not a valid id (lower-case letters, digits and single hyphens, starting with a letter)") }
    }

    public mutating func unique(_ ids: [String], _ path: String) {
        var seen: [String: Int] = [:]
        for (i, id) in ids.enumerated() {
            if let first = seen[id] { fail("\(path)[\(i)].id", "duplicate id \"\(id)\" (also at \(path)[\(first)])") }
            else { seen[id] = i }
        }
    }

    /// Decodes a content file, turning a decoding failure into a problem with the path of the field.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data, file: String) -> Result<T, FrameworkProblems> {
        do {
            return .success(try JSONDecoder().decode(T.self, from: data))
        } catch let error as DecodingError {
            return .failure(FrameworkProblems([FrameworkError(file: file, path: path(of: error), problem: describe(error))]))
        } catch {
            return .failure(FrameworkProblems([FrameworkError(file: file, path: "", problem: "is not JSON: \(error.localizedDescription)")]))
        }
    }

    static func path(of error: DecodingError) -> String {
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): return render(c.codingPath)
        case .keyNotFound(let key, let c): return render(c.codingPath + [key])
        @unknown default: return ""
        }
    }

    static func render(_ path: [any CodingKey]) -> String {
        var out = ""
        for key in path {
            if let i = key.intValue { out += "[\(i)]" } else { out += out.isEmpty ? key.stringValue : ".\(key.stringValue)" }
        }
        return out
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound: return "is missing"
        case .typeMismatch(let type, _):
            return "has the wrong type (expected \(type == String.self ? "text" : type == Int.self ? "a whole number" : type == Double.self ? "a number" : "\(type)"))"
        case .valueNotFound: return "is null"
        case .dataCorrupted(let c): return c.codingPath.isEmpty ? "is not valid JSON" : "is not valid: \(c.debugDescription)"
        @unknown default: return "is not valid"
        }
    }
}
