import Foundation

/// A text in several languages ("en", "nl", …). English is the reference language.
public struct LocalizedText: Codable, Sendable, Equatable, Hashable {
    public var values: [String: String]

    public init(_ values: [String: String]) { self.values = values }

    public init(from decoder: any Decoder) throws {
        values = try decoder.singleValueContainer().decode([String: String].self)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(values)
    }

    /// The text in `language`, or the English text marked as a fallback.
    public func resolve(_ language: String) -> (text: String, isFallback: Bool) {
        if let v = values[language], !v.isEmpty { return (v, false) }
        return (values["en"] ?? values.values.sorted().first ?? "", language != "en")
    }

    public func callAsFunction(_ language: String) -> String { resolve(language).text }
}

/// A benchmark framework: one theme, versioned. Loaded from a JSON file and validated before use;
/// an assessment keeps the version it was made with.
public struct Framework: Codable, Sendable, Equatable {
    public var id: String
    public var version: Int
    public var title: LocalizedText
    public var rationale: LocalizedText
    public var licence: String
    public var sources: [Source]
    public var scale: Scale
    public var contextFactors: [ContextFactor]
    public var keyFactors: [KeyFactor]

    public struct Source: Codable, Sendable, Equatable {
        public var title: String
        public var publisher: String?
        public var year: Int?
        public var url: String?
    }

    public struct Scale: Codable, Sendable, Equatable {
        public var levels: [Level]
        public var values: ClosedRange<Int> { (levels.map(\.value).min() ?? 1)...(levels.map(\.value).max() ?? 1) }
        public func level(_ value: Int) -> Level? { levels.first { $0.value == value } }
    }

    public struct Level: Codable, Sendable, Equatable {
        public var value: Int
        public var label: LocalizedText
        public var description: LocalizedText
    }

    public struct ContextFactor: Codable, Sendable, Equatable {
        public var id: String
        public var label: LocalizedText
        public var help: LocalizedText?
    }

    public struct KeyFactor: Codable, Sendable, Equatable {
        public var id: String
        public var title: LocalizedText
        public var rationale: LocalizedText
        public var questions: [Question]
        public var tips: [LocalizedText]
        public var practices: [Practice]
    }

    public struct Question: Codable, Sendable, Equatable {
        public var id: String
        public var text: LocalizedText
    }

    public struct Practice: Codable, Sendable, Equatable {
        public var title: LocalizedText
        public var description: LocalizedText
        public var place: String?
        public var source: String?
    }

    public func keyFactor(_ id: String) -> KeyFactor? { keyFactors.first { $0.id == id } }

    /// Every question id, qualified by its key factor ("know-the-local-context/interpreters").
    public var questionKeys: Set<String> {
        Set(keyFactors.flatMap { k in k.questions.map { "\(k.id)/\($0.id)" } })
    }
}
