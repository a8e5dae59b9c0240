import Foundation

/// What is wrong with a framework file: the file, the path of the field, and the problem.
public struct FrameworkError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var path: String
    public var problem: String
    public init(file: String, path: String, problem: String) { self.file = file; self.path = path; self.problem = problem }
    public var description: String { "\(file): \(path.isEmpty ? "" : "\(path): ")\(problem)" }
}

/// All the problems of one framework file.
public struct FrameworkProblems: Error, Equatable, Sendable, CustomStringConvertible {
    public var errors: [FrameworkError]
    public init(_ errors: [FrameworkError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// Reads and validates framework files. Every problem found is reported, not only the first.
public enum FrameworkLoader {
    /// The languages every text must have.
    public static let requiredLanguages = ["en", "nl"]

    public static func load(_ data: Data, file: String) -> Result<Framework, FrameworkProblems> {
        let framework: Framework
        do {
            framework = try JSONDecoder().decode(Framework.self, from: data)
        } catch let error as DecodingError {
            return .failure(FrameworkProblems([FrameworkError(file: file, path: path(of: error), problem: describe(error))]))
        } catch {
            return .failure(FrameworkProblems([FrameworkError(file: file, path: "", problem: "is not JSON: \(error.localizedDescription)")]))
        }
        let problems = validate(framework, file: file)
        return problems.isEmpty ? .success(framework) : .failure(FrameworkProblems(problems))
    }

    public static func validate(_ f: Framework, file: String) -> [FrameworkError] {
        var errors: [FrameworkError] = []
        func fail(_ path: String, _ problem: String) { errors.append(FrameworkError(file: file, path: path, problem: problem)) }
        func text(_ t: LocalizedText, _ path: String) {
            for lang in requiredLanguages {
                let v = t.values[lang]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
                if t.values[lang] == nil { fail("\(path).\(lang)", "the \(lang == "en" ? "English" : lang == "nl" ? "Dutch" : lang) translation is missing") }
                else if v.isEmpty { fail("\(path).\(lang)", "the text is empty") }
            }
        }
        func identifier(_ id: String, _ path: String) {
            let ok = !id.isEmpty && id.first!.isLetter && id.allSatisfy { ($0.isLetter && $0.isLowercase && $0.isASCII) || $0.isNumber || $0 == "-" }
                && !id.hasSuffix("-") && !id.contains("--")
            if !ok { fail(path, "\"\(id)\" is not a valid id (lower-case letters, digits and single hyphens, starting with a letter)") }
        }
        func unique(_ ids: [String], _ path: String) {
            var seen: [String: Int] = [:]
            for (i, id) in ids.enumerated() {
                if let first = seen[id] { fail("\(path)[\(i)].id", "duplicate id \"\(id)\" (also at \(path)[\(first)])") }
                else { seen[id] = i }
            }
        }
        identifier(f.id, "id")
        if f.version < 1 { fail("version", "must be 1 or more, not \(f.version)") }
        text(f.title, "title")
        text(f.rationale, "rationale")
        if f.licence.trimmingCharacters(in: .whitespaces).isEmpty { fail("licence", "is empty") }
        if f.sources.isEmpty { fail("sources", "name at least one source") }
        for (i, s) in f.sources.enumerated() where s.title.trimmingCharacters(in: .whitespaces).isEmpty { fail("sources[\(i)].title", "is empty") }
        // The scale: values 1…n, each once, in order.
        if f.scale.levels.count < 2 { fail("scale.levels", "a scale needs at least two levels") }
        for (i, level) in f.scale.levels.enumerated() {
            if level.value != i + 1 { fail("scale.levels[\(i)].value", "expected \(i + 1): levels are numbered 1, 2, 3 … in order, found \(level.value)") }
            text(level.label, "scale.levels[\(i)].label")
            text(level.description, "scale.levels[\(i)].description")
        }
        unique(f.contextFactors.map(\.id), "contextFactors")
        for (i, c) in f.contextFactors.enumerated() {
            identifier(c.id, "contextFactors[\(i)].id")
            text(c.label, "contextFactors[\(i)].label")
            if let h = c.help { text(h, "contextFactors[\(i)].help") }
        }
        if f.keyFactors.isEmpty { fail("keyFactors", "a framework needs at least one key factor") }
        unique(f.keyFactors.map(\.id), "keyFactors")
        for (i, k) in f.keyFactors.enumerated() {
            let p = "keyFactors[\(i)]"
            identifier(k.id, "\(p).id")
            text(k.title, "\(p).title")
            text(k.rationale, "\(p).rationale")
            if k.questions.isEmpty { fail("\(p).questions", "a key factor needs at least one guiding question") }
            unique(k.questions.map(\.id), "\(p).questions")
            for (j, q) in k.questions.enumerated() {
                identifier(q.id, "\(p).questions[\(j)].id")
                text(q.text, "\(p).questions[\(j)].text")
            }
            for (j, t) in k.tips.enumerated() { text(t, "\(p).tips[\(j)]") }
            for (j, pr) in k.practices.enumerated() {
                text(pr.title, "\(p).practices[\(j)].title")
                text(pr.description, "\(p).practices[\(j)].description")
            }
        }
        return errors
    }

    private static func path(of error: DecodingError) -> String {
        let context: DecodingError.Context
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): context = c
        case .keyNotFound(let key, let c):
            return render(c.codingPath + [key])
        @unknown default: return ""
        }
        return render(context.codingPath)
    }

    private static func render(_ path: [any CodingKey]) -> String {
        var out = ""
        for key in path {
            if let i = key.intValue { out += "[\(i)]" } else { out += out.isEmpty ? key.stringValue : ".\(key.stringValue)" }
        }
        return out
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound: return "is missing"
        case .typeMismatch(let type, _): return "has the wrong type (expected \(type == String.self ? "text" : type == Int.self ? "a whole number" : "\(type)"))"
        case .valueNotFound: return "is null"
        case .dataCorrupted(let c): return c.codingPath.isEmpty ? "is not valid JSON" : "is not valid: \(c.debugDescription)"
        @unknown default: return "is not valid"
        }
    }
}
